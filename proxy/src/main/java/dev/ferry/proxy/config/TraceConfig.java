package dev.ferry.proxy.config;

/**
 * A listener's trace: every frame, message and trailer of its connections, as {@code ferry trace}
 * prints them, written to a file.
 *
 * @param path the file the trace is appended to
 * @param format lines of text, or one JSON object per line
 */
public record TraceConfig(String path, Format format) {
  /** The shape of the trace, the same two as {@code ferry trace} and {@code ferry trace --json}. */
  public enum Format {
    TEXT,
    JSON
  }
}
