package dev.ferry.proxy.status;

import java.util.Locale;

/**
 * The protocol a client spoke to ferry for one call, as the access log and the metrics name it: a
 * fixed set, so that it can be a metric label.
 */
public enum CallProtocol {
  /** gRPC itself ({@code application/grpc*}), passed through. */
  GRPC,
  /** gRPC-Web, binary ({@code application/grpc-web*}), bridged to gRPC. */
  GRPC_WEB,
  /** gRPC-Web, base64 text ({@code application/grpc-web-text*}), bridged to gRPC. */
  GRPC_WEB_TEXT,
  /** Connect (connectrpc.com), unary or streaming, JSON or binary, bridged to gRPC. */
  CONNECT,
  /** HTTP/JSON transcoded by a method's {@code google.api.http} rule, bridged to gRPC. */
  HTTP_JSON,
  /** Plain HTTP to an HTTP backend. */
  HTTP;

  private final String wireName = name().toLowerCase(Locale.ROOT).replace('_', '-');

  /** The name in logs and labels: {@code grpc}, {@code grpc-web}, {@code grpc-web-text}, ... */
  public String wireName() {
    return wireName;
  }
}
