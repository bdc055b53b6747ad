package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.exit.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** With the access log on standard output, that stream carries the access log and nothing else. */
class ServeAccessLogStdoutTest {
  private final StringWriter out = new StringWriter();
  private final CapturedLines err = new CapturedLines();
  private final CommandLine ferry = Main.commandLine(new PrintWriter(out, true), err.printWriter());

  @Test
  void accessLogOnStdout_sendsTheSummaryToStderr() throws Exception {
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
                    "helloworld.Greeter=127.0.0.1:1",
                    "--access-log",
                    "-"));
    while (!err.nextLine().startsWith("ready")) {
      // the summary, on standard error
    }

    stop.stop();
    assertThat(running.get(15, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).isEmpty();
  }
}
