package dev.ferry.proxy.connectionlog;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Collects the connection log's lines while a test runs: slf4j-simple writes to whatever {@code
 * System.err} is at the time of each line, so the extension puts a tee there, keeps the lines of
 * {@link ConnectionLog}, and passes everything on.
 */
public final class CapturedLog implements BeforeEachCallback, AfterEachCallback {
  private final List<String> lines = new ArrayList<>();
  private PrintStream original;

  @Override
  public void beforeEach(ExtensionContext context) {
    original = System.err;
    System.setErr(new PrintStream(new LineTee(original), true, StandardCharsets.UTF_8));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    System.setErr(original);
  }

  /** The connection log's lines so far that contain {@code text}. */
  public List<String> lines(String text) {
    synchronized (lines) {
      return lines.stream().filter(l -> l.contains(text)).toList();
    }
  }

  /** Splits what is written into lines and keeps the connection log's. */
  private final class LineTee extends OutputStream {
    private final PrintStream next;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineTee(PrintStream next) {
      this.next = next;
    }

    @Override
    public synchronized void write(int b) {
      next.write(b);
      if (b != '\n') {
        line.write(b);
        return;
      }
      String s = line.toString(StandardCharsets.UTF_8);
      line.reset();
      if (s.contains("ConnectionLog - ")) {
        synchronized (lines) {
          lines.add(s);
        }
      }
    }
  }
}
