package dev.ferry.cli.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.cli.Main;
import dev.ferry.testservers.ExampleServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry call ... -n N --report html FILE}, opened in a real browser from the file alone. */
@Timeout(120)
class LoadReportInBrowserTest {
  @RegisterExtension static final Chromium chromium = new Chromium();

  private static final Pattern SUMMARY =
      Pattern.compile("Summary: (\\d+) calls in [0-9.]+s, ([0-9.]+) calls/s, (\\d+) failed");

  @Test
  void report_opensAndShowsTheFiguresOfTheRunThatMadeIt(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("load.html");
    StringWriter out = new StringWriter();
    String authority;
    try (ExampleServer greeter = ExampleServer.builder(ExampleServer.Kind.GREETER).start()) {
      authority = greeter.authority();
      int exit =
          Main.commandLine(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
              .execute(
                  "call",
                  greeter.authority(),
                  "helloworld.Greeter/SayHello",
                  "-d",
                  "{\"name\":\"report\"}",
                  "-H",
                  "x-delay-ms: 3",
                  "-n",
                  "400",
                  "-c",
                  "8",
                  "--report",
                  "html",
                  report.toString());
      assertThat(exit).as(out.toString()).isZero();
    }
    Matcher summary = SUMMARY.matcher(out.toString());
    assertThat(summary.find()).as(out.toString()).isTrue();

    chromium.driver().get(report.toUri().toString());

    chromium.until("the summary drawn", d -> !figure("calls").isEmpty());
    assertThat(figure("calls")).isEqualTo("400");
    assertThat(figure("failed")).isEqualTo("0 (0.0%)");
    assertThat(Double.parseDouble(figure("calls/s")))
        .isCloseTo(Double.parseDouble(summary.group(2)), within(0.051));
    assertThat(chromium.text("tr[data-status='OK']")).startsWith("OK 400 100.0%");
    assertThat(chromium.text("tr[data-percentile='p99']")).matches("p99 [0-9.]+ ms");
    assertThat(chromium.texts("#histogram rect")).hasSize(20);
    assertThat(chromium.texts("#over-time polyline")).hasSize(2);
    assertThat(chromium.driver().getTitle())
        .isEqualTo("ferry load report: helloworld.Greeter/SayHello at " + authority);
    chromium.screenshot("load-report.png");
  }

  private static String figure(String name) {
    return chromium.text("[data-figure='" + name + "'] b");
  }
}
