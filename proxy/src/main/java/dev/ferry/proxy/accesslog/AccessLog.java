package dev.ferry.proxy.accesslog;

/**
 * Receives one entry per finished call. Implementations must not block the event loop that calls
 * {@link #log}.
 */
public interface AccessLog extends AutoCloseable {
  /** The access log when none is configured; the data path skips building entries for it. */
  AccessLog OFF =
      new AccessLog() {
        @Override
        public void log(AccessLogEntry entry) {}

        @Override
        public void close() {}
      };

  void log(AccessLogEntry entry);

  @Override
  void close();
}
