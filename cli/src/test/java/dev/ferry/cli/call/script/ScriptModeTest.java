package dev.ferry.cli.call.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.Main;
import dev.ferry.cli.call.WatchedWriter;
import dev.ferry.testservers.ExampleServer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code ferry call --script}: a YAML smoke test against two greeters, with a JUnit report. */
// A hang must fail the build, not stall it.
@org.junit.jupiter.api.Timeout(60)
class ScriptModeTest {
  private static ExampleServer first;
  private static ExampleServer second;
  private final WatchedWriter out = new WatchedWriter();
  private final WatchedWriter err = new WatchedWriter();
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    first = ExampleServer.builder(ExampleServer.Kind.GREETER).start();
    second = ExampleServer.builder(ExampleServer.Kind.GREETER).start();
  }

  @AfterAll
  static void stop() {
    first.close();
    second.close();
  }

  private int run(String... args) {
    return Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  private Path script(String calls) throws Exception {
    return Files.writeString(
        dir.resolve("smoke.yaml"),
        "targets: [" + first.authority() + ", " + second.authority() + "]\n" + "calls:\n" + calls);
  }

  @Test
  void passingScript_exits0_andReportsEveryCallPerTarget() throws Exception {
    Path script =
        script(
            """
              - name: greeter says hello
                method: helloworld.Greeter/SayHello
                data: {name: ferry}
                expect: {message: "Hello, ferry!"}
              - name: injected failure is reported
                method: helloworld.Greeter/SayHello
                headers: {x-fail-status: "14"}
                expect_status: UNAVAILABLE
              - name: bidi echoes each
                method: helloworld.Greeter/SayHelloBidiStream
                data: '{"name":"a"} {"name":"b"}'
                expect: {message: "Hello, b!"}
            """);
    Path junit = dir.resolve("report.xml");
    assertThat(run("call", "--script", script.toString(), "--junit", junit.toString())).isZero();
    assertThat(out.toString())
        .contains("PASS  greeter says hello  (" + first.authority())
        .contains("PASS  bidi echoes each  (" + second.authority())
        .contains("6 passed, 0 failed");
    Document report =
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
    NodeList suites = report.getElementsByTagName("testsuite");
    assertThat(suites.getLength()).isEqualTo(2);
    assertThat(((Element) suites.item(0)).getAttribute("tests")).isEqualTo("3");
    assertThat(((Element) suites.item(0)).getAttribute("failures")).isEqualTo("0");
  }

  @Test
  void failingCalls_exit1_andCarryTheirReasonIntoTheReport() throws Exception {
    Path script =
        script(
            """
              - name: wrong answer
                method: helloworld.Greeter/SayHello
                data: {name: ferry}
                expect: {message: "Goodbye"}
              - name: unexpected failure
                method: helloworld.Greeter/SayHello
                headers: {x-fail-status: "7", x-fail-message: "no entry"}
              - name: no such method
                method: helloworld.Greeter/SayBye
            """);
    Path junit = dir.resolve("report.xml");
    assertThat(
            run(
                "call",
                "--script",
                script.toString(),
                "--junit",
                junit.toString(),
                first.authority()))
        .isEqualTo(1);
    assertThat(out.toString())
        .contains("FAIL  wrong answer  (" + first.authority())
        .contains("expected status OK (0), got PERMISSION_DENIED (7)")
        .contains("has no method SayBye")
        .contains("0 passed, 3 failed")
        .doesNotContain(second.authority());
    Document report =
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
    NodeList failures = report.getElementsByTagName("failure");
    assertThat(failures.getLength()).isEqualTo(3);
    assertThat(failures.item(1).getTextContent())
        .contains("ERROR: PERMISSION_DENIED (7): no entry");
  }

  @Test
  void unknownKey_isNamedWithItsPlace() throws Exception {
    Path script = script("  - method: helloworld.Greeter/SayHello\n    expected: {}\n");
    assertThat(run("call", "--script", script.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("smoke.yaml: calls[0].expected: unknown key");
  }
}
