package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A writer for a command's output that hands each complete line to the test as it is written, so a
 * test can wait for {@code listening on ...} without sleeping.
 */
final class CapturedLines extends Writer {
  private final StringBuilder partial = new StringBuilder();
  private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
  private final List<String> all = new ArrayList<>();

  PrintWriter printWriter() {
    return new PrintWriter(this, true);
  }

  @Override
  public synchronized void write(char[] chars, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (chars[i] == '\n') {
        String line = partial.toString();
        partial.setLength(0);
        all.add(line);
        unread.add(line);
      } else if (chars[i] != '\r') {
        partial.append(chars[i]);
      }
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}

  /** The next line not read yet, waiting up to ten seconds for it. */
  String nextLine() throws InterruptedException {
    String line = unread.poll(10, TimeUnit.SECONDS);
    assertThat(line).as("a line within 10s").isNotNull();
    return line;
  }

  /** Every complete line so far. */
  synchronized List<String> lines() {
    return List.copyOf(all);
  }
}
