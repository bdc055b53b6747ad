package dev.ferry.proxy.connectionlog;

import org.slf4j.event.Level;

/**
 * Why a client connection ended without a call, or was cut off by a limit: each kind has its own
 * rate limit and log level.
 */
public enum ConnectionEvent {
  /** The TLS handshake failed: no shared protocol or cipher, a client certificate refused, ... */
  TLS_HANDSHAKE_FAILED(Level.INFO),
  /**
   * The client closed the connection in the middle of the handshake without an alert: TLS probes
   * (ferry call's among them) do it all day, so only at DEBUG.
   */
  TLS_HANDSHAKE_ABANDONED(Level.DEBUG),
  /** A plaintext HTTP/1.1 request or HTTP/2 preface arrived on a TLS listener. */
  PLAINTEXT_ON_TLS_PORT(Level.INFO),
  /** A TLS ClientHello arrived on a plaintext listener. */
  TLS_ON_PLAINTEXT_PORT(Level.INFO),
  /** The first bytes were neither a valid HTTP/2 preface nor an HTTP/1.1 request. */
  BAD_PREFACE(Level.INFO),
  /** The client broke HTTP/2 in a way that ends the connection (RFC 9113 5.4.1). */
  PROTOCOL_ERROR(Level.INFO),
  /** An abuse limit was hit: rapid reset, PING/SETTINGS flood, header size, stream count, ... */
  ABUSE_LIMIT(Level.WARN),
  /** The listener already had its maximum of connections. */
  CONNECTION_LIMIT(Level.WARN),
  /** Bytes arrived, but no complete request headers within the header-read timeout. */
  SLOW_HEADERS(Level.WARN),
  /** Nothing at all arrived within the header-read timeout (port scanners, TCP probes). */
  SILENT(Level.INFO),
  /** No open stream for the listener's idle timeout. */
  IDLE(Level.INFO);

  private final Level level;

  ConnectionEvent(Level level) {
    this.level = level;
  }

  Level level() {
    return level;
  }
}
