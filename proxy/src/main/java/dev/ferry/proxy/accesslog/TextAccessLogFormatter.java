package dev.ferry.proxy.accesslog;

/**
 * One line of text per call, for people and grep:
 *
 * <pre>
 * 2026-11-24T06:21:12.123Z 127.0.0.1:53422 "POST /helloworld.Greeter/SayHello HTTP/2" grpc=OK(0) reason=ok detail="" upstream=127.0.0.1:50051 in=12 out=20 time=2.310ms
 * 2026-11-24T06:21:12.200Z 127.0.0.1:53430 "GET /users HTTP/1.1" http=200 reason=ok detail="" upstream=127.0.0.1:8000 in=0 out=512 time=1.004ms
 * 2026-11-24T06:21:13.001Z 127.0.0.1:53431 "POST /x.Y/Z HTTP/2" grpc=UNIMPLEMENTED(12) reason=no_route detail="ferry: no route for /x.Y/Z" upstream=- in=5 out=0 time=0.080ms
 * 2026-11-24T06:21:14.500Z 127.0.0.1:53432 "POST /helloworld.Daininki/Vote HTTP/2" grpc=UNAVAILABLE(14) reason=upstream detail="UNAVAILABLE(14) from 127.0.0.1:50052: backend says no" upstream=127.0.0.1:50052 attempts=127.0.0.1:50052/UNAVAILABLE(14),127.0.0.1:50053/connect_refused in=5 out=0 time=3.120ms
 * </pre>
 *
 * A gRPC call shows its grpc-status by name and code (from the trailers or a Trailers-Only
 * response), with {@code http=} added when the call ended without one; other requests show the HTTP
 * status; a call a bridge translated names the client's protocol ({@code bridge=grpc-web}). Every
 * line names why the call ended ({@code reason=}, docs/reasons.md) and what happened ({@code
 * detail=}, quoted, empty for a call that ended {@code ok}); {@code attempts=} lists every try,
 * {@code endpoint/outcome}, when a call tried more than one endpoint or its only try failed.
 */
final class TextAccessLogFormatter implements AccessLogFormatter {
  @Override
  public void format(AccessLogEntry e, StringBuilder sb) {
    sb.append(EntryFields.time(e.startMillis())).append(' ');
    sb.append(EntryFields.address(e.client())).append(" \"");
    appendSafe(e.httpMethod(), sb);
    sb.append(' ');
    appendSafe(e.path(), sb);
    sb.append(' ');
    appendSafe(e.protocol(), sb);
    sb.append('"');
    if (e.bridge() != null) {
      sb.append(" bridge=");
      appendSafe(e.bridge(), sb);
    }
    if (e.grpc() && e.grpcStatus() >= 0) {
      sb.append(" grpc=").append(EntryFields.grpcStatusName(e.grpcStatus()));
      sb.append('(').append(e.grpcStatus()).append(')');
    } else {
      if (e.grpc()) {
        sb.append(" grpc=-");
      }
      sb.append(" http=");
      if (e.httpStatus() > 0) {
        sb.append(e.httpStatus());
      } else {
        sb.append('-');
      }
    }
    sb.append(" reason=");
    appendSafe(e.reason(), sb);
    sb.append(" detail=\"");
    appendQuoted(e.detail(), sb);
    sb.append('"');
    if (e.clientSubject() != null) {
      sb.append(" subject=");
      appendSafe(e.clientSubject(), sb);
    }
    sb.append(" upstream=");
    appendSafe(e.upstream(), sb);
    if (e.attempts() != null) {
      sb.append(" attempts=");
      for (int i = 0; i < e.attempts().size(); i++) {
        UpstreamAttempt a = e.attempts().get(i);
        if (i > 0) {
          sb.append(',');
        }
        appendSafe(a.endpoint(), sb);
        sb.append('/');
        appendSafe(a.outcome(), sb);
      }
    }
    sb.append(" in=").append(e.bytesIn());
    sb.append(" out=").append(e.bytesOut());
    sb.append(" time=");
    EntryFields.appendMillis(e.durationNanos(), sb);
    sb.append("ms");
  }

  /**
   * Appends {@code s} for inside quotes: spaces stay, quotes, backslashes, control and non-ASCII
   * characters are escaped as in {@link #appendSafe}, so a detail cannot end its field or the line.
   */
  static void appendQuoted(String s, StringBuilder sb) {
    if (s == null) {
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ') {
        sb.append(c);
      } else {
        appendChar(c, sb);
      }
    }
  }

  /**
   * Appends {@code s}, {@code -} when null, with quotes, backslashes, spaces, control and non-ASCII
   * characters escaped as {@code \xNN}: a client chooses the path, and must not be able to forge a
   * line or break a field apart.
   */
  static void appendSafe(String s, StringBuilder sb) {
    if (s == null || s.isEmpty()) {
      sb.append('-');
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      appendChar(s.charAt(i), sb);
    }
  }

  private static void appendChar(char c, StringBuilder sb) {
    if (c <= ' ' || c == '"' || c == '\\' || c >= 0x7f) {
      if (c > 0xff) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(String.format("\\x%02x", (int) c));
      }
    } else {
      sb.append(c);
    }
  }
}
