package dev.ferry.cli.call.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ferry.cli.Main;
import dev.ferry.cli.call.WatchedWriter;
import dev.ferry.testservers.ExampleServer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Load mode against a real greeter whose call log counts what arrived. */
// A hang must fail the build, not stall it.
@org.junit.jupiter.api.Timeout(60)
class LoadModeTest {
  private static final Queue<String> calls = new ConcurrentLinkedQueue<>();
  private static ExampleServer greeter;
  private final WatchedWriter out = new WatchedWriter();
  private final WatchedWriter err = new WatchedWriter();

  @BeforeAll
  static void start() throws Exception {
    greeter = ExampleServer.builder(ExampleServer.Kind.GREETER).callLog(calls::add).start();
  }

  @AfterAll
  static void stop() {
    greeter.close();
  }

  @BeforeEach
  void forgetCalls() {
    calls.clear();
  }

  private int run(String... args) {
    return Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  private long sayHelloCalls() {
    return calls.stream().filter(line -> line.contains("SayHello")).count();
  }

  @Test
  void minusN_makesExactlyNCalls_overSeveralConnections() {
    assertThat(
            run(
                "call",
                greeter.authority(),
                "helloworld.Greeter/SayHello",
                "-d",
                "{\"name\":\"load\"}",
                "-H",
                "x-trace: on",
                "-n",
                "200",
                "-c",
                "8",
                "--connections",
                "2"))
        .isZero();
    assertThat(sayHelloCalls()).isEqualTo(200);
    assertThat(out.toString())
        .contains("Summary: 200 calls in ")
        .contains("0 failed (0.000%); 8 at once over 2 connection(s)")
        .contains("Latency: min ")
        .contains("p99 ")
        .containsPattern("OK +200");
  }

  @Test
  void warmupCalls_areMadeButLeftOutOfTheFigures() {
    assertThat(
            run(
                "call",
                greeter.authority(),
                "helloworld.Greeter/SayHello",
                "-n",
                "50",
                "-c",
                "4",
                "--warmup",
                "200ms"))
        .isZero();
    // The first 4 calls start inside the warm-up, so the server sees at least 54.
    assertThat(sayHelloCalls()).isGreaterThanOrEqualTo(54);
    assertThat(out.toString()).contains("Summary: 50 calls in ").containsPattern("OK +50\\b");
  }

  @Test
  void connections_defaultToOnePerCore_cappedByConcurrency() {
    assertThat(
            run("call", greeter.authority(), "helloworld.Greeter/SayHello", "-n", "5", "-c", "1"))
        .isZero();
    assertThat(out.toString()).contains("1 at once over 1 connection(s)");
  }

  @Test
  void failedCalls_areCountedByStatus_andFailTheRun() {
    assertThat(
            run(
                "call",
                greeter.authority(),
                "helloworld.Greeter/SayHello",
                "-H",
                "x-fail-status: 14",
                "-n",
                "20"))
        .isEqualTo(1);
    assertThat(out.toString()).containsPattern("UNAVAILABLE +20  \\(first: injected\\)");
  }

  @Test
  void slo_decidesTheExitCode() {
    String addr = greeter.authority();
    String method = "helloworld.Greeter/SayHello";
    assertThat(run("call", addr, method, "-n", "20", "--slo", "p99<10s,errors<1%")).isZero();
    assertThat(out.toString()).contains("SLO p99<10s: ok").contains("SLO errors<1%: ok (0.000%)");
    assertThat(run("call", addr, method, "-n", "20", "--slo", "p50<1us")).isEqualTo(1);
    assertThat(out.toString()).contains("SLO p50<1us: FAILED");
  }

  @Test
  void rpsAndDuration_paceTheCalls() {
    assertThat(
            run(
                "call",
                greeter.authority(),
                "helloworld.Greeter/SayHello",
                "--duration",
                "500ms",
                "--rps",
                "20",
                "-c",
                "2"))
        .isZero();
    // Calls are due every 50ms from the start: at most 10 start within 500ms.
    assertThat(sayHelloCalls()).isBetween(1L, 10L);
  }

  @Test
  void streamingMethods_canBeLoaded() {
    assertThat(
            run(
                "call",
                greeter.authority(),
                "helloworld.Greeter/SayHelloBidiStream",
                "-d",
                "{\"name\":\"a\"}{\"name\":\"b\"}",
                "-n",
                "10"))
        .isZero();
    assertThat(calls.stream().filter(l -> l.contains("SayHelloBidiStream")).count()).isEqualTo(10);
  }

  @Test
  void report_writesJsonAndCsv(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("load.json");
    Path csv = dir.resolve("load.csv");
    String addr = greeter.authority();
    String method = "helloworld.Greeter/SayHello";
    assertThat(run("call", addr, method, "-n", "30", "--report", "json", json.toString())).isZero();
    assertThat(run("call", addr, method, "-n", "30", "--report", "csv", csv.toString())).isZero();
    JsonObject report = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertThat(report.get("calls").getAsLong()).isEqualTo(30);
    assertThat(report.getAsJsonObject("latency").get("p99_ms").getAsDouble()).isPositive();
    assertThat(Files.readAllLines(csv)).contains("measure,value", "calls,30", "status_OK,30");
  }

  @Test
  void reportHtml_isOnePageWithTheRunsFiguresInline(@TempDir Path dir) throws Exception {
    Path html = dir.resolve("load.html");
    String method = "helloworld.Greeter/SayHello";
    assertThat(
            run(
                "call",
                greeter.authority(),
                method,
                "-n",
                "40",
                "-c",
                "4",
                "-H",
                "x-fail-status: 14",
                "-H",
                "x-fail-message: </script><b>no</b>",
                "--report",
                "html",
                html.toString()))
        .isEqualTo(1);
    String page = Files.readString(html);
    assertThat(page)
        .startsWith("<!doctype html>")
        .contains("\"calls\":40", "\"failed\":40", "\"code\":\"UNAVAILABLE\"")
        // The status message is data: its markup cannot end the script block it travels in.
        .contains("\\u003c/script\\u003e\\u003cb\\u003eno")
        .doesNotContain("</script><b>no")
        .doesNotContain("src=\"http", "href=\"http");
  }

  @Test
  void loadOptionsWithoutLoad_areRefused() {
    assertThat(run("call", greeter.authority(), "helloworld.Greeter/SayHello", "--rps", "5"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("give -n N or --duration");
  }
}
