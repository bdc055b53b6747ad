package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.exit.ExitCodes;
import dev.ferry.proxy.tls.SelfSignedCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry import nginx} on test configurations that nginx itself accepts ({@code nginx -t}):
 * the YAML it writes passes {@code ferry serve --check}, and the report names what did not come
 * over with file:line.
 */
class ImportNginxCommandTest {
  @TempDir Path dir;

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  private Path copy(String resource, String as) throws IOException {
    Path target = dir.resolve(as);
    Files.createDirectories(target.getParent());
    try (InputStream in = getClass().getResourceAsStream("/nginx/" + resource)) {
      Files.write(target, in.readAllBytes());
    }
    return target;
  }

  private void assertServeCheckAccepts(Path yaml) {
    assertThat(run("serve", "--check", "-c", yaml.toString())).as(err.toString()).isZero();
  }

  @Test
  void articleAsWritten_isASyntaxError_oneLineWithFileAndLine() throws Exception {
    Path conf = copy("article-as-written.txt", "article.txt");
    assertThat(NginxProcess.test(conf, dir.resolve("prefix")).exitCode()).isNotZero();
    assertThat(run("import", "nginx", conf.toString())).isEqualTo(ExitCodes.IMPORT_IMPOSSIBLE);
    assertThat(err.toString())
        .isEqualTo(
            conf
                + ":27: unexpected end of file, expecting \"}\" (the block opened on line 25 is"
                + " not closed)\n");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void articleAsMeant_converts_thoughNginxRefusesItsUndefinedRestHost() throws Exception {
    Path conf = copy("article-as-meant.conf", "article.conf");
    NginxProcess.TestResult t = NginxProcess.test(conf, dir.resolve("prefix"));
    assertThat(t.exitCode()).isNotZero();
    assertThat(t.output()).contains("host not found in upstream \"rest_api_server\"");

    Path yaml = dir.resolve("ferry.yaml");
    assertThat(run("import", "nginx", conf.toString(), "-o", yaml.toString())).isZero();
    assertThat(err.toString())
        .endsWith("ferry import nginx: complete (1 note), written to " + yaml + "\n");
    String written = Files.readString(yaml);
    assertThat(written)
        .contains("  - address: 0.0.0.0:80\n")
        .contains("article.conf:18: error_page 502 = /error502grpc and ")
        .contains("nothing to write: ferry answers a call no backend can take with grpc-status 14")
        .contains("      - localhost:50052  # " + conf + ":7\n")
        .contains("      - http://rest_api_server:80  # " + conf + ":28\n");
    assertServeCheckAccepts(yaml);
  }

  @Test
  void everyListedDirective_isConverted_andTheResultPassesServeCheck() throws Exception {
    Path conf = copy("every-directive.conf", "nginx.conf");
    SelfSignedCertificates.Material tls =
        SelfSignedCertificates.ensure(dir.resolve("tlsgen"), Instant.now());
    Files.createDirectories(dir.resolve("certs"));
    Files.copy(tls.certificate(), dir.resolve("certs/server.pem"));
    Files.copy(tls.key(), dir.resolve("certs/server.key"));
    Files.copy(tls.caCertificate(), dir.resolve("certs/ca.pem"));
    NginxProcess.assertValid(conf, dir.resolve("prefix"));

    Path yaml = dir.resolve("ferry.yaml");
    assertThat(run("import", "nginx", conf.toString(), "-o", yaml.toString()))
        .as(err.toString())
        .isZero();
    String written = Files.readString(yaml);
    assertThat(written)
        .contains("    idle_timeout: 75s  # " + conf + ":9: keepalive_timeout 75s\n")
        .contains("      max_concurrent_streams: 100")
        .contains("      cert: " + dir.resolve("certs/server.pem"))
        .contains("      client_ca: " + dir.resolve("certs/ca.pem"))
        .contains("      require_client_cert: true")
        .contains("          method: helloworld.Greeter/SayHello\n")
        .contains("      - grpcs://127.0.0.1:50051")
        .contains("    tls:\n      ca: " + dir.resolve("certs/ca.pem"))
        .contains("      server_name: localhost")
        .contains("    connect_timeout: 2s")
        .contains("    connect_retries: 0")
        .contains("            x-from-proxy: nginx")
        .contains("            - x-internal")
        .contains("            x-proxy: nginx")
        .contains("max_request_message_size: 4MiB")
        .contains("            - 10.0.0.0/8\n            - 127.0.0.1/32\n")
        .contains("          rate: 100/s\n          burst: 21\n          key: client_ip")
        .contains("          key: header:x-api-key")
        .contains("    balance: least_request")
        .contains("      consecutive_failures: 3")
        .contains("        weight: 3")
        .contains("        header: x-user-id")
        .contains("    balance: random")
        .contains("          http_status: 503\n          message: \"down for maintenance\"")
        .contains("      - http://127.0.0.1:8000")
        .contains("  format: json");
    assertThat(err.toString())
        .contains(conf + ":55: note: grpc_read_timeout 1h: not needed")
        .doesNotContain("not converted");
    assertServeCheckAccepts(yaml);
  }

  @Test
  void includesWithGlobs_areReadFromTheMainFilesDirectory_andReportedAtTheirOwnLines()
      throws Exception {
    Path conf = copy("split/nginx.conf", "split/nginx.conf");
    copy("split/conf.d/upstreams.conf", "split/conf.d/upstreams.conf");
    copy("split/conf.d/no-match.txt", "split/conf.d/no-match.txt");
    Path locations = copy("split/locations/grpc.conf", "split/locations/grpc.conf");
    NginxProcess.assertValid(conf, dir.resolve("prefix"));

    Path yaml = dir.resolve("ferry.yaml");
    assertThat(run("import", "nginx", conf.toString(), "-o", yaml.toString()))
        .isEqualTo(ExitCodes.IMPORT_PARTIAL);
    assertThat(err.toString())
        .contains(
            locations
                + ":6: not converted: rewrite ^/old/(.*)$ /$1: ferry forwards the path as it came\n")
        .endsWith(
            "ferry import nginx: partial: 1 directive not converted, written to " + yaml + "\n");
    assertThat(Files.readString(yaml))
        .contains(
            "      - 127.0.0.1:50052  # " + dir.resolve("split/conf.d/upstreams.conf") + ":2\n")
        .contains("      # " + locations + ":1: location /helloworld.Daininki\n");
    assertServeCheckAccepts(yaml);
  }

  @Test
  void unsupportedDirectives_areReportedWithFileLineAndWhy_andExit3() throws Exception {
    Path conf = copy("unsupported.conf", "nginx.conf");
    NginxProcess.assertValid(conf, dir.resolve("prefix"));

    assertThat(run("import", "nginx", "--check", conf.toString()))
        .isEqualTo(ExitCodes.IMPORT_PARTIAL);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString())
        .contains(conf + ":4: not converted: map $http_x_env $backend: ferry has no variables")
        .contains(conf + ":14: not converted: server 127.0.0.1:50054 backup: ferry has no backup")
        .contains(conf + ":19: not converted: set $tenant a: ferry has no variables")
        .contains(
            conf + ":20: not converted: if ($http_x_debug): ferry's routes have no conditions")
        .contains(
            conf
                + ":23: not converted: grpc_pass grpc://$backend: the target is chosen by variables")
        .contains(
            conf
                + ":25: not converted: location ~ ^/helloworld\\.Daininki/(Vote|Chat)$: ferry matches paths by prefix")
        .contains(
            conf + ":28: not converted: location /static/: no grpc_pass, proxy_pass or return")
        .contains(conf + ":34: not converted: rewrite ^/v1/(.*)$ /$1 break")
        .doesNotContain("counterpart for grpc_pass")
        .endsWith("ferry import nginx: partial: 10 directives not converted\n");
  }

  @Test
  void scriptingDirectives_areNotConverted() throws Exception {
    // Not run through nginx -t: Debian's plain nginx has neither the Lua nor the njs module.
    Path conf =
        Files.writeString(
            dir.resolve("scripted.conf"),
            """
            server {
                listen 127.0.0.1:8080;
                location / {
                    access_by_lua 'ngx.exit(403)';
                    js_content main.hello;
                    grpc_pass 127.0.0.1:50051;
                }
            }
            """);
    assertThat(run("import", "nginx", "--check", conf.toString()))
        .isEqualTo(ExitCodes.IMPORT_PARTIAL);
    assertThat(err.toString())
        .contains(conf + ":4: not converted: access_by_lua ngx.exit(403): ferry runs no scripts")
        .contains(conf + ":5: not converted: js_content main.hello: ferry runs no scripts");
  }

  @Test
  void nginxsOwnGrpcExamples_convert_exceptTheFilesTheyServe() throws Exception {
    Path conf = copy("nginx-docs.conf", "nginx.conf");
    NginxProcess.assertValid(conf, dir.resolve("prefix"));

    Path yaml = dir.resolve("ferry.yaml");
    assertThat(run("import", "nginx", conf.toString(), "-o", yaml.toString()))
        .isEqualTo(ExitCodes.IMPORT_PARTIAL);
    assertThat(err.toString())
        .contains(conf + ":25: not converted: location /: no grpc_pass, proxy_pass or return");
    assertThat(Files.readString(yaml))
        .contains("  - address: 127.0.0.1:9080\n")
        .contains("  - address: 127.0.0.1:9000\n")
        .contains("        cluster: grpcservers")
        .contains("nothing to write: ferry answers a call no backend can take");
    assertServeCheckAccepts(yaml);
  }

  @Test
  void serversSharingAPort_areToldApartByName_theDefaultServerLast() throws Exception {
    Path conf =
        Files.writeString(
            dir.resolve("nginx.conf"),
            """
            events {}
            http {
                server {
                    listen 127.0.0.1:8080 http2;
                    server_name api.example.com API.example.org;
                    location / { grpc_pass grpc://127.0.0.1:50051; }
                }
                server {
                    listen 127.0.0.1:8080 http2 default_server;
                    location /helloworld.Greeter { grpc_pass grpc://127.0.0.1:50052; }
                    location /helloworld.Greeter/SayHello { grpc_pass grpc://127.0.0.1:50053; }
                    location / { return 404; }
                }
            }
            """);
    NginxProcess.assertValid(conf, dir.resolve("prefix"));

    Path yaml = dir.resolve("ferry.yaml");
    assertThat(run("import", "nginx", conf.toString(), "-o", yaml.toString()))
        .as(err.toString())
        .isZero();
    String written = Files.readString(yaml);
    assertThat(written.indexOf("authority: api.example.com"))
        .isPositive()
        .isLessThan(written.indexOf("authority: api.example.org"));
    assertThat(written.indexOf("authority: api.example.org"))
        .isLessThan(written.indexOf("prefix: /helloworld.Greeter/SayHello"));
    assertThat(written.indexOf("prefix: /helloworld.Greeter/SayHello"))
        .isLessThan(written.indexOf("prefix: /helloworld.Greeter\n"));
    assertThat(written).contains("          http_status: 404\n").containsOnlyOnce("- address:");
    assertServeCheckAccepts(yaml);
  }

  @Test
  void aNamedServerWithoutACatchAllLocation_endsWith404_asNginxAnswers() throws Exception {
    Path conf =
        Files.writeString(
            dir.resolve("nginx.conf"),
            """
            events {}
            http {
                server {
                    listen 127.0.0.1:8080 http2;
                    server_name api.example.com;
                    location /helloworld.Greeter { grpc_pass grpc://127.0.0.1:50051; }
                }
                server {
                    listen 127.0.0.1:8080 http2 default_server;
                    location / { grpc_pass grpc://127.0.0.1:50052; }
                }
            }
            """);
    NginxProcess.assertValid(conf, dir.resolve("prefix"));

    Path yaml = dir.resolve("ferry.yaml");
    assertThat(run("import", "nginx", conf.toString(), "-o", yaml.toString()))
        .as(err.toString())
        .isZero();
    String written = Files.readString(yaml);
    int greeter = written.indexOf("prefix: /helloworld.Greeter");
    int notFound = written.indexOf("http_status: 404");
    int defaultRoute = written.indexOf("prefix: /\n");
    assertThat(greeter).isPositive().isLessThan(notFound);
    assertThat(notFound).isLessThan(defaultRoute);
    assertServeCheckAccepts(yaml);
  }

  @Test
  void twoTlsServersOnOnePort_getACertificateEachBySni() throws Exception {
    SelfSignedCertificates.Material tls =
        SelfSignedCertificates.ensure(dir.resolve("tlsgen"), Instant.now());
    Path conf =
        Files.writeString(
            dir.resolve("nginx.conf"),
            """
            events {}
            http {
                ssl_certificate_key %s;
                server {
                    listen 127.0.0.1:8443 ssl http2;
                    server_name api.example.com;
                    ssl_certificate %s;
                    location / { grpc_pass grpc://127.0.0.1:50051; }
                }
                server {
                    listen 127.0.0.1:8443 ssl http2 default_server;
                    ssl_certificate %s;
                    ssl_protocols TLSv1.3;
                    location / { grpc_pass grpc://127.0.0.1:50052; }
                }
            }
            """
                .formatted(tls.key(), tls.certificate(), tls.certificate()));
    NginxProcess.assertValid(conf, dir.resolve("prefix"));

    Path yaml = dir.resolve("ferry.yaml");
    assertThat(run("import", "nginx", conf.toString(), "-o", yaml.toString()))
        .isEqualTo(ExitCodes.IMPORT_PARTIAL);
    assertThat(err.toString())
        .contains(
            conf
                + ":13: not converted: ssl_protocols TLSv1.3: ferry always offers TLS 1.2 and 1.3");
    assertThat(Files.readString(yaml))
        .contains("      certificates:\n" + "        - cert: " + tls.certificate())
        .contains("          server_names:\n            - api.example.com\n")
        .contains("        # the default server's: for clients with no SNI match\n")
        .contains("          authority: api.example.com");
    assertServeCheckAccepts(yaml);
  }

  @Test
  void badInput_isOneLineWithoutAStackTrace() throws Exception {
    Path missing = dir.resolve("missing.conf");
    assertThat(run("import", "nginx", missing.toString())).isEqualTo(ExitCodes.IMPORT_IMPOSSIBLE);
    assertThat(err.toString()).isEqualTo("ferry import nginx: no such file: " + missing + "\n");

    Path stray = Files.writeString(dir.resolve("stray.conf"), "http {\n  server { }\n}\n}\n");
    assertThat(run("import", "nginx", stray.toString())).isEqualTo(ExitCodes.IMPORT_IMPOSSIBLE);
    assertThat(err.toString()).isEqualTo(stray + ":4: unexpected \"}\"\n");

    Path quote =
        Files.writeString(dir.resolve("quote.conf"), "http {\n  add_header x \"open;\n}\n");
    assertThat(run("import", "nginx", quote.toString())).isEqualTo(ExitCodes.IMPORT_IMPOSSIBLE);
    assertThat(err.toString())
        .isEqualTo(quote + ":2: unexpected end of file: the quote \" is not closed\n");

    Path include =
        Files.writeString(dir.resolve("include.conf"), "http {\n  include nope.conf;\n}\n");
    assertThat(run("import", "nginx", include.toString())).isEqualTo(ExitCodes.IMPORT_IMPOSSIBLE);
    assertThat(err.toString()).startsWith(include + ":2: include nope.conf: no such file ");
  }
}
