package dev.ferry.proxy.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The trace file's queue: callers never wait, and what the writer cannot take is counted. */
class TraceFileWriterTest {
  private static TraceEvent event(String headline) {
    return new TraceEvent(
        TraceEvent.Kind.CONNECTION,
        0,
        1,
        null,
        0,
        "OPEN",
        null,
        false,
        headline,
        List.of(),
        Map.of());
  }

  /** A file whose first write hangs until the test lets it go, as a stuck disk would. */
  private static final class StuckWriter extends Writer {
    final StringWriter text = new StringWriter();
    final CountDownLatch writing = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void write(char[] b, int off, int len) {
      writing.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      text.write(b, off, len);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  @Test
  void fullQueue_dropsEvents_andWritesTheCountWhereTheGapIs() throws Exception {
    StuckWriter out = new StuckWriter();
    TraceFileWriter w = new TraceFileWriter(TraceFormatter.text(false), false, out, "test", 1);

    w.accept(event("first"));
    assertThat(out.writing.await(10, TimeUnit.SECONDS)).isTrue();
    // The writer holds "first"; the queue has room for one more, and the rest is dropped.
    w.accept(event("second"));
    w.accept(event("third"));
    w.accept(event("fourth"));
    assertThat(w.droppedCount()).isEqualTo(2);
    out.release.countDown();
    w.close();

    assertThat(out.text.toString().lines().map(l -> l.replaceAll("^.* OPEN +", "")))
        .containsExactly(
            "first", "second", "# 2 trace events dropped here: the writer could not keep up");
  }

  @Test
  void json_reportsTheGapAsJson() throws Exception {
    StuckWriter out = new StuckWriter();
    TraceFileWriter w = new TraceFileWriter(TraceFormatter.json(), true, out, "test", 1);

    w.accept(event("first"));
    assertThat(out.writing.await(10, TimeUnit.SECONDS)).isTrue();
    w.accept(event("second"));
    w.accept(event("third"));
    out.release.countDown();
    w.close();

    assertThat(out.text.toString().lines()).last().isEqualTo("{\"kind\":\"dropped\",\"count\":1}");
  }
}
