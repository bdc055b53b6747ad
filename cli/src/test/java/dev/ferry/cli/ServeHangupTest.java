package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.exit.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** SIGHUP to `ferry serve` in flag form: said to change nothing, and the proxy goes on. */
class ServeHangupTest {
  @RegisterExtension final LoggedLines log = new LoggedLines();
  private final CapturedLines out = new CapturedLines();
  private final StringWriter err = new StringWriter();
  private final CommandLine ferry = Main.commandLine(out.printWriter(), new PrintWriter(err, true));

  @Test
  void hangupInFlagForm_saysThereIsNoFileToReload_andServesOn() throws Exception {
    ServeCommand serve = (ServeCommand) ferry.getSubcommands().get("serve").getCommand();
    StopSignal stop = StopSignal.manual();
    serve.stopSignal = stop;
    CompletableFuture<Integer> running =
        CompletableFuture.supplyAsync(
            () ->
                ferry.execute(
                    "serve",
                    "--listen",
                    "127.0.0.1:0",
                    "--route",
                    "helloworld.Greeter=127.0.0.1:1"));
    while (!out.nextLine().contains("listening on")) {
      // the summary comes first; the hangup handler is in place once it is printed
    }

    stop.hangup();

    assertThat(running).isNotDone();
    assertThat(log.containing("SIGHUP: nothing to reload, the configuration comes from flags"))
        .singleElement()
        .asString()
        .matches(LogFormatTest.LINE_START + "WARN ServeLifecycle - SIGHUP: .*");
    stop.stop();
    assertThat(running.get(15, TimeUnit.SECONDS)).as(err.toString()).isEqualTo(ExitCodes.OK);
  }
}
