package dev.ferry.proxy.trace;

import dev.ferry.proxy.status.GrpcCode;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.Map;

/**
 * The root causes a call's header blocks show: a request that is not quite gRPC, an answer that is
 * not gRPC at all (an intermediary's error page), a header list over the receiver's limit.
 */
final class GrpcHeaderChecks {
  /** Where a named cause goes. */
  @FunctionalInterface
  interface Diagnosis {
    void report(Direction direction, int streamId, GrpcCall call, String text);
  }

  private final Diagnosis diagnosis;

  GrpcHeaderChecks(Diagnosis diagnosis) {
    this.diagnosis = diagnosis;
  }

  /** Names a header block over the receiver's SETTINGS_MAX_HEADER_LIST_SIZE ({@code limit}). */
  void headerListSize(
      Direction direction, int streamId, GrpcCall call, Http2Headers headers, Long limit) {
    if (limit == null) {
      return;
    }
    // RFC 9113 §6.5.2: the size is that of the uncompressed list, 32 bytes of overhead per field.
    long size = 0;
    for (Map.Entry<CharSequence, CharSequence> h : headers) {
      size += h.getKey().length() + h.getValue().length() + 32;
    }
    if (size > limit) {
      diagnosis.report(
          direction,
          streamId,
          call,
          "header list of "
              + size
              + " bytes is over the receiver's SETTINGS_MAX_HEADER_LIST_SIZE "
              + limit
              + ": the receiver will reset the stream or answer 431; gRPC clients see INTERNAL"
              + " or RESOURCE_EXHAUSTED. Send less metadata.");
    }
  }

  /** Names what in a request keeps it from being gRPC: its content-type, a missing te. */
  void request(GrpcCall call, Http2Headers headers) {
    CharSequence contentType = headers.get("content-type");
    boolean grpcPath =
        call.path.matches("/[^/]+\\.[^/]+/[^/]+") || call.path.matches("/[^/]+/[^/]+");
    if (!call.grpc) {
      if (grpcPath && "POST".contentEquals(headers.method()) && call.connect == null) {
        diagnosis.report(
            Direction.CLIENT_TO_SERVER,
            call.streamId,
            call,
            "request content-type is "
                + (contentType == null ? "missing" : "'" + contentType + "'")
                + ", not application/grpc: a gRPC server answers 415 Unsupported Media Type (or"
                + " treats it as plain HTTP)");
      }
      return;
    }
    CharSequence te = headers.get("te");
    // gRPC-Web carries its trailers in the body: browsers cannot send te, and need not.
    if (!call.web && (te == null || !"trailers".contentEquals(te))) {
      diagnosis.report(
          Direction.CLIENT_TO_SERVER,
          call.streamId,
          call,
          "request has no 'te: trailers': gRPC servers may reject it (grpc-go, grpc-java) and"
              + " intermediaries may drop the trailers that carry grpc-status");
    }
  }

  /** Reads the response headers into {@code call} and names a non-gRPC answer. */
  void responseHeaders(GrpcCall call, Http2Headers headers) {
    CharSequence status = headers.status();
    call.httpStatus = status == null ? 0 : parseInt(status.toString());
    CharSequence contentType = headers.get("content-type");
    String ct = contentType == null ? "" : contentType.toString();
    call.grpcResponse = ct.startsWith("application/grpc");
    CharSequence encoding = headers.get("grpc-encoding");
    call.responseEncoding = encoding == null ? null : encoding.toString();
    if (!call.grpc) {
      return;
    }
    if (call.httpStatus != 200) {
      diagnosis.report(
          Direction.SERVER_TO_CLIENT,
          call.streamId,
          call,
          "HTTP "
              + call.httpStatus
              + " answer to a gRPC call: gRPC servers always answer 200, so an intermediary (load"
              + " balancer, ingress, proxy) or a non-gRPC server answered; the client sees "
              + GrpcCode.forHttpStatus(call.httpStatus));
    }
    if (ct.startsWith("text/html")) {
      diagnosis.report(
          Direction.SERVER_TO_CLIENT,
          call.streamId,
          call,
          "the answer is an HTML page, not gRPC: an intermediary or a web server answered (its body"
              + " is shown with the call's summary)");
    } else if (!call.grpcResponse && headers.get("grpc-status") == null) {
      diagnosis.report(
          Direction.SERVER_TO_CLIENT,
          call.streamId,
          call,
          "response content-type is "
              + (ct.isEmpty() ? "missing" : "'" + ct + "'")
              + ", not application/grpc: the client fails the call (UNKNOWN or INTERNAL)");
    }
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
