package dev.ferry.proxy.tls;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Looks at the listeners' certificate files every few seconds, on a thread of its own (file system
 * calls block, so never on an event loop), and swaps in those that changed.
 */
public final class CertificateReloader implements AutoCloseable {
  /** Often enough that a renewed certificate is in use within seconds; cheap (a stat per file). */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

  private final ScheduledExecutorService timer;

  private CertificateReloader(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** Starts polling {@code listeners} every {@code interval}. */
  public static CertificateReloader start(List<ServerTls> listeners, Duration interval) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ferry-tls-reload");
              t.setDaemon(true);
              return t;
            });
    long ms = interval.toMillis();
    List<ServerTls> copy = List.copyOf(listeners);
    timer.scheduleWithFixedDelay(
        () -> copy.forEach(ServerTls::reloadIfChanged), ms, ms, TimeUnit.MILLISECONDS);
    return new CertificateReloader(timer);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
