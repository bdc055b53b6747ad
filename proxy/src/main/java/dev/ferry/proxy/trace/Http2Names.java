package dev.ferry.proxy.trace;

import io.netty.handler.codec.http2.Http2Error;
import java.util.ArrayList;
import java.util.List;

/** The names RFC 9113 gives to frame types, flags, settings and error codes. */
final class Http2Names {
  private Http2Names() {}

  static String frameType(int type) {
    return switch (type) {
      case 0x0 -> "DATA";
      case 0x1 -> "HEADERS";
      case 0x2 -> "PRIORITY";
      case 0x3 -> "RST_STREAM";
      case 0x4 -> "SETTINGS";
      case 0x5 -> "PUSH_PROMISE";
      case 0x6 -> "PING";
      case 0x7 -> "GOAWAY";
      case 0x8 -> "WINDOW_UPDATE";
      case 0x9 -> "CONTINUATION";
      default -> String.format("UNKNOWN(0x%x)", type);
    };
  }

  /** The flags set, named for the frame type, such as {@code END_STREAM|END_HEADERS}. */
  static String flags(int type, int flags) {
    List<String> names = new ArrayList<>();
    int known = 0;
    switch (type) {
      case 0x0 -> {
        known = add(names, flags, 0x1, "END_STREAM") | add(names, flags, 0x8, "PADDED");
      }
      case 0x1 -> {
        known =
            add(names, flags, 0x1, "END_STREAM")
                | add(names, flags, 0x4, "END_HEADERS")
                | add(names, flags, 0x8, "PADDED")
                | add(names, flags, 0x20, "PRIORITY");
      }
      case 0x4, 0x6 -> known = add(names, flags, 0x1, "ACK");
      case 0x5 -> known = add(names, flags, 0x4, "END_HEADERS") | add(names, flags, 0x8, "PADDED");
      case 0x9 -> known = add(names, flags, 0x4, "END_HEADERS");
      default -> {}
    }
    int unknown = flags & ~known;
    if (unknown != 0) {
      names.add(String.format("0x%x", unknown));
    }
    return names.isEmpty() ? "-" : String.join("|", names);
  }

  private static int add(List<String> names, int flags, int bit, String name) {
    if ((flags & bit) != 0) {
      names.add(name);
    }
    return bit;
  }

  static String setting(int id) {
    return switch (id) {
      case 0x1 -> "HEADER_TABLE_SIZE";
      case 0x2 -> "ENABLE_PUSH";
      case 0x3 -> "MAX_CONCURRENT_STREAMS";
      case 0x4 -> "INITIAL_WINDOW_SIZE";
      case 0x5 -> "MAX_FRAME_SIZE";
      case 0x6 -> "MAX_HEADER_LIST_SIZE";
      case 0x8 -> "ENABLE_CONNECT_PROTOCOL";
      case 0x9 -> "NO_RFC7540_PRIORITIES";
      // gRPC core's own settings (grpc/src/core/ext/transport/chttp2/transport/http2_settings).
      case 0xfe03 -> "GRPC_ALLOW_TRUE_BINARY_METADATA";
      case 0xfe04 -> "GRPC_PREFERRED_RECEIVE_CRYPTO_FRAME_SIZE";
      default -> String.format("UNKNOWN_SETTING(0x%x)", id);
    };
  }

  static String errorCode(long code) {
    Http2Error e = Http2Error.valueOf(code);
    return e != null ? e.name() : String.format("UNKNOWN_ERROR(0x%x)", code);
  }

  /** What an RST_STREAM or GOAWAY error code means for the client that sent or got it. */
  static String errorMeaning(long code, boolean goAway) {
    Http2Error e = Http2Error.valueOf(code);
    if (e == null) {
      return "an error code RFC 9113 does not define; treat it as INTERNAL_ERROR";
    }
    return switch (e) {
      case NO_ERROR ->
          goAway
              ? "graceful shutdown: no new streams on this connection, open ones may finish"
              : "no error: the sender needs no more of this stream (from a server: the response"
                  + " stands)";
      case PROTOCOL_ERROR -> "a peer broke the HTTP/2 rules; gRPC clients see INTERNAL";
      case INTERNAL_ERROR -> "the sender failed internally; gRPC clients see INTERNAL";
      case FLOW_CONTROL_ERROR -> "the flow-control window was exceeded; gRPC clients see INTERNAL";
      case SETTINGS_TIMEOUT -> "SETTINGS were not acknowledged in time; gRPC clients see INTERNAL";
      case STREAM_CLOSED -> "a frame arrived on a closed stream; gRPC clients see INTERNAL";
      case FRAME_SIZE_ERROR -> "a frame was larger than allowed; gRPC clients see INTERNAL";
      case REFUSED_STREAM ->
          "the server did not process the stream at all: safe to retry,"
              + " gRPC clients see UNAVAILABLE and retry transparently";
      case CANCEL ->
          "the call was cancelled (client: cancel or deadline; server: it gave up);"
              + " gRPC clients see CANCELLED";
      case COMPRESSION_ERROR ->
          "HPACK state broke; the connection is unusable, gRPC clients see" + " INTERNAL";
      case CONNECT_ERROR -> "a CONNECT tunnel failed; gRPC clients see INTERNAL";
      case ENHANCE_YOUR_CALM ->
          "the peer thinks it is being abused (too many pings or resets);"
              + " gRPC clients see RESOURCE_EXHAUSTED ('too_many_pings' for keepalive)";
      case INADEQUATE_SECURITY -> "TLS is too weak for HTTP/2; gRPC clients see PERMISSION_DENIED";
      case HTTP_1_1_REQUIRED ->
          "the server wants HTTP/1.1; gRPC cannot run there, clients see" + " INTERNAL";
    };
  }
}
