package dev.ferry.cli;

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
 * Collects the log lines written while a test runs: slf4j-simple writes to whatever {@code
 * System.err} is at the time of each line, so the extension puts a tee there, keeps every line and
 * passes everything on.
 */
final class LoggedLines implements BeforeEachCallback, AfterEachCallback {
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

  /** The lines so far that contain {@code text}. */
  List<String> containing(String text) {
    synchronized (lines) {
      return lines.stream().filter(l -> l.contains(text)).toList();
    }
  }

  /** Splits what is written into lines and keeps them. */
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
      synchronized (lines) {
        lines.add(s);
      }
    }
  }
}
