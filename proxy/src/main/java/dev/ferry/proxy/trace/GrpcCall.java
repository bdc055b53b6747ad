package dev.ferry.proxy.trace;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What the tap has seen of one stream: its request, its answer so far, its messages. */
final class GrpcCall {
  /** A repeat command shows at most this many request messages. */
  private static final int MAX_REMEMBERED_REQUESTS = 100;

  final int streamId;
  final String path;
  final long startNanos;
  final boolean grpc;

  /** gRPC-Web (application/grpc-web*): no te required, trailers in a frame of the body. */
  final boolean web;

  /** gRPC-Web's text form (application/grpc-web-text*): the body is base64. */
  final boolean webText;

  /** Per direction, for a text body: what of the base64 is not decoded yet. */
  final Map<Direction, Base64Chunks> base64 = new EnumMap<>(Direction.class);

  /** Once a text body held something that is not base64: the rest of it is not decoded. */
  boolean base64Broken;

  /** A Connect call's form; null for any other call. */
  final ConnectTrace.Form connect;

  /** A Connect unary call's bodies as far as kept, and their whole lengths. */
  private final Map<Direction, ByteArrayOutputStream> wholeBodies = new EnumMap<>(Direction.class);

  private final Map<Direction, Long> wholeLengths = new EnumMap<>(Direction.class);
  private final int maxKeptBytes;

  final String requestEncoding;

  /** The request's grpc-timeout in nanoseconds, or -1 without one. */
  final long timeoutNanos;

  final List<List<String>> requestMetadata = new ArrayList<>();
  final List<String> requestJson = new ArrayList<>();
  final Map<Direction, GrpcMessageReassembler> reassemblers = new EnumMap<>(Direction.class);
  final Map<Direction, Integer> messages = new EnumMap<>(Direction.class);
  final Map<Direction, Long> messageBytes = new EnumMap<>(Direction.class);
  final Map<Direction, Long> largestMessage = new EnumMap<>(Direction.class);
  boolean requestUndecoded;
  boolean responseHeadersSeen;
  boolean grpcResponse;
  String responseEncoding;
  int httpStatus;
  String status;
  String grpcMessage;
  final StringBuilder bodyPreview = new StringBuilder();
  boolean clientEnded;
  boolean finished;

  GrpcCall(int streamId, Http2Headers request, long startNanos, int maxKeptBytes) {
    this.streamId = streamId;
    this.path = request.path() == null ? "?" : request.path().toString();
    this.startNanos = startNanos;
    CharSequence contentType = request.get("content-type");
    String type = contentType == null ? "" : contentType.toString();
    this.grpc = type.startsWith("application/grpc");
    this.web = type.startsWith("application/grpc-web");
    this.webText = type.startsWith("application/grpc-web-text");
    this.connect = grpc ? null : ConnectTrace.Form.of(request);
    this.maxKeptBytes = maxKeptBytes;
    CharSequence encoding = request.get("grpc-encoding");
    this.requestEncoding = encoding == null ? null : encoding.toString();
    CharSequence timeout = request.get("grpc-timeout");
    this.timeoutNanos = timeout == null ? -1 : parseTimeoutNanos(timeout.toString());
    for (Direction d : Direction.values()) {
      reassemblers.put(d, new GrpcMessageReassembler(maxKeptBytes));
      messages.put(d, 0);
      messageBytes.put(d, 0L);
      largestMessage.put(d, 0L);
      if (webText) {
        base64.put(d, new Base64Chunks());
      }
    }
    for (Map.Entry<CharSequence, CharSequence> h : request) {
      String name = h.getKey().toString();
      if (!name.startsWith(":") && !GrpcCallTracker.isTransportHeader(name)) {
        requestMetadata.add(List.of(name, h.getValue().toString()));
      }
    }
  }

  /** grpc-timeout in nanoseconds (PROTOCOL-HTTP2.md: 1 to 8 digits and a unit), or -1. */
  static long parseTimeoutNanos(String value) {
    if (!value.matches("\\d{1,8}[HMSmun]")) {
      return -1;
    }
    long n = Long.parseLong(value.substring(0, value.length() - 1));
    return switch (value.charAt(value.length() - 1)) {
      case 'H' -> n * 3_600_000_000_000L;
      case 'M' -> n * 60_000_000_000L;
      case 'S' -> n * 1_000_000_000L;
      case 'm' -> n * 1_000_000L;
      case 'u' -> n * 1_000L;
      default -> n;
    };
  }

  /** Keeps the first bytes of a body that is read whole (at most the bound of a message). */
  void keepWhole(Direction d, ByteBuf data) {
    ByteArrayOutputStream kept = wholeBodies.computeIfAbsent(d, k -> new ByteArrayOutputStream());
    int n = Math.min(data.readableBytes(), maxKeptBytes - kept.size());
    if (n > 0) {
      byte[] b = new byte[n];
      data.getBytes(data.readerIndex(), b);
      kept.writeBytes(b);
    }
    wholeLengths.merge(d, (long) data.readableBytes(), Long::sum);
  }

  byte[] wholeBody(Direction d) {
    ByteArrayOutputStream kept = wholeBodies.get(d);
    return kept == null ? new byte[0] : kept.toByteArray();
  }

  long wholeLength(Direction d) {
    return wholeLengths.getOrDefault(d, 0L);
  }

  String encoding(Direction d) {
    return d == Direction.CLIENT_TO_SERVER ? requestEncoding : responseEncoding;
  }

  void rememberRequest(String json) {
    if (json == null) {
      requestUndecoded = true;
    } else if (requestJson.size() < MAX_REMEMBERED_REQUESTS) {
      requestJson.add(json);
    }
  }

  /** Whether this header block (from the server) shows the call failing. */
  boolean isFailure(Http2Headers headers) {
    CharSequence s = headers.status();
    if (s != null && !"200".contentEquals(s)) {
      return true;
    }
    CharSequence g = headers.get("grpc-status");
    return g != null && !"0".contentEquals(g);
  }
}
