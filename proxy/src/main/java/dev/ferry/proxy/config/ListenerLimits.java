package dev.ferry.proxy.config;

import java.time.Duration;

/**
 * Limits that keep one abusive client from costing the others their service. Each HTTP/2 count is
 * per connection within {@link #FLOOD_WINDOW}; a connection past one gets GOAWAY
 * (ENHANCE_YOUR_CALM) and is closed.
 *
 * @param maxConnections open client connections on the listener; more are closed as they arrive
 * @param maxConcurrentStreams SETTINGS_MAX_CONCURRENT_STREAMS; streams beyond are refused at once
 * @param maxHeaderListSize SETTINGS_MAX_HEADER_LIST_SIZE, bytes of one request's headers
 * @param headerReadTimeout how long a new connection may take to send its first complete request
 *     headers (TLS handshake included): slowloris defence
 * @param maxResets streams the client may reset (RST_STREAM) per window: rapid reset,
 *     CVE-2023-44487
 * @param maxControlFrames PING and SETTINGS frames the client may send per window
 * @param maxEmptyFrames DATA frames without payload or END_STREAM the client may send per window
 */
public record ListenerLimits(
    int maxConnections,
    int maxConcurrentStreams,
    int maxHeaderListSize,
    Duration headerReadTimeout,
    int maxResets,
    int maxControlFrames,
    int maxEmptyFrames) {

  /** The window the flood counts are kept over. */
  public static final Duration FLOOD_WINDOW = Duration.ofSeconds(10);

  /**
   * Safe for a public port, generous for real clients: grpc-java and grpc-go send a PING per
   * flow-control round trip at most, and reset a stream per cancelled call.
   */
  public static final ListenerLimits DEFAULTS =
      new ListenerLimits(10_000, 1024, 64 << 10, Duration.ofSeconds(10), 200, 1000, 1000);
}
