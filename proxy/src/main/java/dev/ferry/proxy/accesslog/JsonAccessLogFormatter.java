package dev.ferry.proxy.accesslog;

import dev.ferry.proxy.output.JsonStrings;

/**
 * One JSON object per line (JSON Lines), for log pipelines. Every field is always present, null
 * when unknown, so that consumers see one schema:
 *
 * <pre>
 * {"time":"2026-11-24T06:21:12.123Z","client":"127.0.0.1:53422","method":"POST",
 *  "path":"/helloworld.Greeter/SayHello","authority":"127.0.0.1:8080","protocol":"HTTP/2",
 *  "grpc":true,"http_status":200,"grpc_status":0,"grpc_status_name":"OK",
 *  "upstream":"127.0.0.1:50051","local_reply":null,"reason":"ok","detail":null,
 *  "bytes_in":12,"bytes_out":20,"duration_ms":2.310}
 * </pre>
 *
 * (shown wrapped; it is one line). Strings are escaped by hand: the set of fields is fixed and
 * small, and a JSON library would be a dependency for one use.
 */
final class JsonAccessLogFormatter implements AccessLogFormatter {
  @Override
  public void format(AccessLogEntry e, StringBuilder sb) {
    sb.append("{\"time\":");
    string(EntryFields.time(e.startMillis()), sb);
    sb.append(",\"client\":");
    string(e.client() == null ? null : EntryFields.address(e.client()), sb);
    sb.append(",\"method\":");
    string(e.httpMethod(), sb);
    sb.append(",\"path\":");
    string(e.path(), sb);
    sb.append(",\"authority\":");
    string(e.authority(), sb);
    sb.append(",\"protocol\":");
    string(e.protocol(), sb);
    if (e.bridge() != null) {
      // Only for bridged calls, so that other lines keep their shape.
      sb.append(",\"bridge\":");
      string(e.bridge(), sb);
    }
    sb.append(",\"grpc\":").append(e.grpc());
    sb.append(",\"http_status\":");
    if (e.httpStatus() > 0) {
      sb.append(e.httpStatus());
    } else {
      sb.append("null");
    }
    sb.append(",\"grpc_status\":");
    if (e.grpcStatus() >= 0) {
      sb.append(e.grpcStatus()).append(",\"grpc_status_name\":");
      string(EntryFields.grpcStatusName(e.grpcStatus()), sb);
    } else {
      sb.append("null,\"grpc_status_name\":null");
    }
    sb.append(",\"upstream\":");
    string(e.upstream(), sb);
    sb.append(",\"local_reply\":");
    string(e.localReply(), sb);
    sb.append(",\"reason\":");
    string(e.reason(), sb);
    sb.append(",\"detail\":");
    string(e.detail(), sb);
    if (e.clientSubject() != null) {
      // Only with mutual TLS, so that plaintext lines keep their shape.
      sb.append(",\"client_subject\":");
      string(e.clientSubject(), sb);
    }
    if (e.attempts() != null) {
      // Only when there is more to tell than "upstream", so that most lines keep their shape.
      sb.append(",\"attempts\":[");
      for (int i = 0; i < e.attempts().size(); i++) {
        UpstreamAttempt a = e.attempts().get(i);
        sb.append(i > 0 ? ",{\"endpoint\":" : "{\"endpoint\":");
        string(a.endpoint(), sb);
        sb.append(",\"outcome\":");
        string(a.outcome(), sb);
        sb.append('}');
      }
      sb.append(']');
    }
    sb.append(",\"bytes_in\":").append(e.bytesIn());
    sb.append(",\"bytes_out\":").append(e.bytesOut());
    sb.append(",\"duration_ms\":");
    EntryFields.appendMillis(e.durationNanos(), sb);
    sb.append('}');
  }

  /** A JSON string (RFC 8259 section 7), or {@code null}. */
  static void string(String s, StringBuilder sb) {
    JsonStrings.append(s, sb);
  }
}
