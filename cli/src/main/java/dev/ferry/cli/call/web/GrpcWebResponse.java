package dev.ferry.cli.call.web;

import dev.ferry.proxy.status.GrpcCode;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaders;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A gRPC-Web answer (PROTOCOL-WEB.md): messages framed as in gRPC, then a trailer frame (flag 0x80)
 * holding the trailers as HTTP/1.1 header lines; or, for an answer with no message, the status in
 * the headers (Trailers-Only).
 */
final class GrpcWebResponse extends WebResponse {
  private static final int TRAILER_FRAME = 0x80;

  private final Envelopes frames;
  private final StringBuilder otherBody = new StringBuilder();
  private int httpStatus;
  private boolean grpcBody;
  private Metadata trailers; // from the trailer frame, or the headers of a Trailers-Only answer
  private boolean closed;

  GrpcWebResponse(Events events, int maxMessage) {
    super(events, maxMessage);
    this.frames = new Envelopes(maxMessage);
  }

  @Override
  void head(HttpResponse response) {
    httpStatus = response.status().code();
    HttpHeaders h = response.headers();
    grpcBody = h.get("content-type", "").startsWith("application/grpc-web");
    Metadata headers = HttpMetadata.from(h, "", null);
    if (h.contains("grpc-status")) {
      trailers = headers; // Trailers-Only: grpc-java reports these as trailers, not headers
    } else if (httpStatus == 200) {
      events.headers(headers);
    }
  }

  @Override
  void body(ByteBuf content) {
    if (closed) {
      return;
    }
    if (!grpcBody) {
      if (otherBody.length() < 512) {
        otherBody.append(content.toString(StandardCharsets.UTF_8));
      }
      return;
    }
    try {
      for (Envelopes.Frame f : frames.add(content)) {
        if ((f.flags() & TRAILER_FRAME) != 0) {
          trailers = trailerLines(f.payload());
        } else if (f.flags() != 0) {
          close(compressed(), new Metadata());
        } else {
          events.message(f.payload());
        }
      }
    } catch (Envelopes.TooLarge e) {
      close(tooLarge(e.length), new Metadata());
    }
  }

  @Override
  void end() {
    if (closed) {
      return;
    }
    if (trailers != null) {
      close(status(trailers), trailers);
    } else if (httpStatus != 200) {
      close(
          Status.fromCodeValue(GrpcCode.forHttpStatus(httpStatus).value())
              .withDescription(
                  "HTTP "
                      + httpStatus
                      + " without grpc-status: an intermediary or a server that is not gRPC-Web"
                      + " answered"
                      + (otherBody.toString().isBlank()
                          ? ""
                          : ": " + Snippet.of(otherBody.toString()))),
          new Metadata());
    } else {
      close(
          Status.INTERNAL.withDescription(
              "the gRPC-Web answer ended without its trailer frame (no grpc-status)"),
          new Metadata());
    }
  }

  private void close(Status status, Metadata t) {
    closed = true;
    events.close(status, t);
  }

  /** The trailer frame's lines ("name: value\r\n") as metadata. */
  private static Metadata trailerLines(byte[] payload) {
    Metadata m = new Metadata();
    for (String line : new String(payload, StandardCharsets.UTF_8).split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        HttpMetadata.put(
            m,
            line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }
    return m;
  }

  /** grpc-status and the percent-encoded grpc-message of {@code trailers}. */
  static Status status(Metadata trailers) {
    String code = trailers.get(Metadata.Key.of("grpc-status", Metadata.ASCII_STRING_MARSHALLER));
    String message =
        trailers.get(Metadata.Key.of("grpc-message", Metadata.ASCII_STRING_MARSHALLER));
    Status s;
    try {
      s = Status.fromCodeValue(Integer.parseInt(code.trim()));
    } catch (NumberFormatException | NullPointerException e) {
      return Status.UNKNOWN.withDescription("the trailers hold no valid grpc-status: " + code);
    }
    return message == null || message.isEmpty() ? s : s.withDescription(percentDecode(message));
  }

  /** grpc-message's encoding: UTF-8 bytes, those outside printable ASCII as %XX. */
  private static String percentDecode(String value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] b = value.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '%' && i + 2 < b.length) {
        int hi = Character.digit(b[i + 1], 16);
        int lo = Character.digit(b[i + 2], 16);
        if (hi >= 0 && lo >= 0) {
          out.write(hi << 4 | lo);
          i += 2;
          continue;
        }
      }
      out.write(b[i]);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
