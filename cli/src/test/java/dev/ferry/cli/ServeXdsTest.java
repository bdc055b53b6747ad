package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ferry serve --xds-bootstrap`: what goes with it, and a bootstrap file read up front. */
class ServeXdsTest {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  @TempDir Path dir;

  int run(String... args) {
    return Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  private Path bootstrap(String json) throws Exception {
    return Files.writeString(dir.resolve("bootstrap.json"), json);
  }

  @Test
  void check_readsTheBootstrap_andNamesTheControlPlaneAndNode() throws Exception {
    Path file =
        bootstrap(
            """
            {"xds_servers": [{"server_uri": "127.0.0.1:18000",
                              "channel_creds": [{"type": "insecure"}]}],
             "node": {"id": "edge-1", "cluster": "edge"}}
            """);
    assertThat(run("serve", "--check", "--xds-bootstrap", file.toString())).isEqualTo(0);
    assertThat(out.toString()).isEqualTo("xds 127.0.0.1:18000 (" + file + "): OK (node edge-1)\n");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void badBootstrap_isOneLineNamingFileAndKey() throws Exception {
    Path file = bootstrap("{\"xds_servers\": [{\"channel_creds\": [{\"type\": \"insecure\"}]}]}");
    assertThat(run("serve", "--xds-bootstrap", file.toString())).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo(
            "ferry serve: " + file + ": xds_servers[0].server_uri: missing (expected host:port)\n");
  }

  @Test
  void unsupportedCredentials_areRefused() throws Exception {
    Path file =
        bootstrap(
            "{\"xds_servers\": [{\"server_uri\": \"cp:18000\","
                + " \"channel_creds\": [{\"type\": \"google_default\"}]}]}");
    assertThat(run("serve", "--check", "--xds-bootstrap", file.toString())).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo(
            "ferry serve: "
                + file
                + ": xds_servers[0].channel_creds: no supported type (expected insecure or tls)\n");
  }

  @Test
  void xdsWithRoutesOrAFile_isAUsageError() throws Exception {
    Path file = bootstrap("{}");
    assertThat(run("serve", "--xds-bootstrap", file.toString(), "--route", "a.B=127.0.0.1:1"))
        .isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "ferry serve: xDS (--xds-bootstrap or $GRPC_XDS_BOOTSTRAP) cannot be combined with"
                + " --route: the control plane gives listeners, routes and clusters (see 'ferry"
                + " serve --help')\n");
  }

  @Test
  void adminWithoutXds_isAUsageError() {
    assertThat(run("serve", "--admin", "127.0.0.1:9901", "--route", "a.B=127.0.0.1:1"))
        .isEqualTo(2);
    assertThat(err.toString())
        .startsWith(
            "ferry serve: --admin goes with --xds-bootstrap (with -c, put admin: in the file)");
  }
}
