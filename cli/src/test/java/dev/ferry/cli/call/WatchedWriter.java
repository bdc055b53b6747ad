package dev.ferry.cli.call;

import java.io.Writer;
import java.util.concurrent.TimeUnit;

/** A Writer whose text a test can wait on: the event "this output has been printed". */
public final class WatchedWriter extends Writer {
  private final StringBuilder text = new StringBuilder();

  @Override
  public synchronized void write(char[] buf, int off, int len) {
    text.append(buf, off, len);
    notifyAll();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}

  /** Waits until the text contains {@code s}; false if it has not after {@code seconds}. */
  public synchronized boolean awaitContains(String s, long seconds) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (text.indexOf(s) < 0) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  @Override
  public synchronized String toString() {
    return text.toString();
  }
}
