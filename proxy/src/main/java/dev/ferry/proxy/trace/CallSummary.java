package dev.ferry.proxy.trace;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The one line that ends each call, and the {@code ferry call} command that repeats it. */
final class CallSummary {
  private CallSummary() {}

  /** The status the call ended with, as counted in the table at exit. */
  static String statusOf(GrpcCall call, String abnormalEnd) {
    if (call.status != null) {
      return call.status;
    }
    if (abnormalEnd != null) {
      return abnormalEnd;
    }
    if (call.httpStatus != 200 || !call.grpc) {
      return "HTTP " + call.httpStatus;
    }
    return "no grpc-status";
  }

  static String headline(GrpcCall call, String abnormalEnd, long nowNanos) {
    StringBuilder s = new StringBuilder(call.path).append(' ').append(statusOf(call, abnormalEnd));
    if (call.grpcMessage != null && !call.grpcMessage.isEmpty()) {
      s.append(" \"").append(HeaderLines.printable(call.grpcMessage)).append('"');
    }
    s.append(" in ").append(millis(nowNanos - call.startNanos));
    for (Direction d : Direction.values()) {
      s.append(", ")
          .append(d.arrow())
          .append(' ')
          .append(call.messages.get(d))
          .append(call.messages.get(d) == 1 ? " msg " : " msgs ")
          .append(call.messageBytes.get(d))
          .append(" B");
    }
    return s.toString();
  }

  static List<String> details(GrpcCall call, String upstream) {
    return call.bodyPreview.length() == 0
        ? List.of()
        : List.of("body: " + call.bodyPreview + (call.bodyPreview.length() >= 300 ? " …" : ""));
  }

  static Map<String, Object> fields(
      GrpcCall call, String abnormalEnd, long nowNanos, String upstream) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("status", statusOf(call, abnormalEnd));
    if (call.grpcMessage != null) {
      f.put("grpc_message", call.grpcMessage);
    }
    f.put("duration_ms", (nowNanos - call.startNanos) / 1e6);
    f.put("requests", call.messages.get(Direction.CLIENT_TO_SERVER));
    f.put("request_bytes", call.messageBytes.get(Direction.CLIENT_TO_SERVER));
    f.put("responses", call.messages.get(Direction.SERVER_TO_CLIENT));
    f.put("response_bytes", call.messageBytes.get(Direction.SERVER_TO_CLIENT));
    if (call.grpc) {
      f.put("command", command(call, upstream));
    }
    return f;
  }

  static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
  }

  /**
   * {@code ferry call ADDR pkg.Svc/Method -d '<json>' -H 'name: value'}: the call again, with the
   * request messages as JSON when the schema was known.
   */
  static String command(GrpcCall call, String upstream) {
    StringBuilder s = new StringBuilder("ferry call ").append(upstream).append(' ');
    s.append(call.path.startsWith("/") ? call.path.substring(1) : call.path);
    if (!call.requestJson.isEmpty()) {
      s.append(" -d ").append(shellQuote(String.join(" ", call.requestJson)));
    }
    for (List<String> h : call.requestMetadata) {
      s.append(" -H ").append(shellQuote(h.get(0) + ": " + h.get(1)));
    }
    if (call.requestUndecoded) {
      s.append("  # request messages not decoded (no schema): pass --protoset");
    }
    return s.toString();
  }

  static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
