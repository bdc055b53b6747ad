package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.exit.ExitCodes;
import dev.ferry.testservers.RefusedPort;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * `ferry serve -c` with an {@code xds:} block: checked with the file, and the file's listeners
 * serving before the control plane answers (the end-to-end test with a control plane is the proxy's
 * XdsBesideFileTest).
 */
class ServeXdsBlockTest {
  @RegisterExtension final LoggedLines log = new LoggedLines();
  private final CapturedLines out = new CapturedLines();
  private final StringWriter err = new StringWriter();
  private final CommandLine ferry = Main.commandLine(out.printWriter(), new PrintWriter(err, true));
  @TempDir Path dir;

  private Path yaml(String xds) throws Exception {
    return Files.writeString(
        dir.resolve("ferry.yaml"),
        """
        listeners:
          - address: 127.0.0.1:0
            routes:
              - match: { service: helloworld.Greeter }
                cluster: greeter
        clusters:
          greeter: { endpoints: [127.0.0.1:50051] }
        """
            + xds);
  }

  @Test
  void check_countsTheFile_andNamesTheControlPlane() throws Exception {
    Path file = yaml("xds: { server: 127.0.0.1:18000, node: { id: edge-1, cluster: edge } }\n");
    StringWriter checkOut = new StringWriter();
    StringWriter checkErr = new StringWriter();
    assertThat(check(file, checkOut, checkErr)).isEqualTo(0);
    assertThat(checkOut.toString())
        .isEqualTo(file + ": OK (1 listener, 1 route, 1 cluster; more from xds 127.0.0.1:18000)\n");
    assertThat(checkErr.toString()).isEmpty();
  }

  private static int check(Path file, StringWriter out, StringWriter err) {
    return Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
        .execute("serve", "--check", "-c", file.toString());
  }

  @Test
  void badXdsBlock_isOneLinePerError_withFileLineAndKey() throws Exception {
    Path file =
        yaml(
            """
            xds:
              server: xds.internal
              channel: tcp
              node: { id: edge-1, zone: a }
            """);
    StringWriter checkOut = new StringWriter();
    StringWriter checkErr = new StringWriter();
    assertThat(check(file, checkOut, checkErr)).isEqualTo(1);
    assertThat(checkOut.toString()).isEmpty();
    assertThat(checkErr.toString())
        .isEqualTo(
            file
                + ":9:3: xds.server: expected host:port such as 127.0.0.1:8080 or [::1]:8080, got"
                + " 'xds.internal'\n"
                + file
                + ":10:3: xds.channel: unknown channel 'tcp' (expected one of: insecure, tls)\n"
                + file
                + ":11:23: xds.node.zone: unknown key (expected one of: id, cluster)\n");
  }

  @Test
  void serve_withTheControlPlaneAway_servesTheFile_andHangupChangesNothing() throws Exception {
    try (RefusedPort away = RefusedPort.open()) {
      Path file = yaml("xds: { server: 127.0.0.1:" + away.port() + " }\n");
      ServeCommand serve = (ServeCommand) ferry.getSubcommands().get("serve").getCommand();
      StopSignal stop = StopSignal.manual();
      serve.stopSignal = stop;
      CompletableFuture<Integer> running =
          CompletableFuture.supplyAsync(() -> ferry.execute("serve", "-c", file.toString()));
      while (!out.nextLine().contains("listening on")) {
        // the summary comes once the file's listeners serve, without waiting for xDS
      }

      stop.hangup();

      assertThat(running).isNotDone();
      assertThat(log.containing("SIGHUP: nothing to reload: xDS resources follow")).hasSize(1);
      stop.stop();
      assertThat(running.get(15, TimeUnit.SECONDS)).as(err.toString()).isEqualTo(ExitCodes.OK);
    }
  }
}
