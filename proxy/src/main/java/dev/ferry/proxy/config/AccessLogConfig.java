package dev.ferry.proxy.config;

/**
 * Where and how the access log is written.
 *
 * @param path a file path, or {@code "-"} for standard output
 * @param format one line of text per call, or one JSON object per line
 */
public record AccessLogConfig(String path, Format format) {
  /** The shape of one access log line. */
  public enum Format {
    TEXT,
    JSON
  }
}
