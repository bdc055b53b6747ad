package dev.ferry.cli.call.web;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A Connect streaming answer: enveloped messages, then the end-of-stream message (flag 0x02), a
 * JSON object with the error, if any, and the trailers. An answer refused before the stream began
 * is an error status with a JSON error body, as for unary calls.
 */
final class ConnectStreamResponse extends WebResponse {
  private static final int END_STREAM = 0x02;

  private final Envelopes frames;
  private final StringBuilder errorBody = new StringBuilder();
  private int httpStatus;
  private boolean closed;

  ConnectStreamResponse(Events events, int maxMessage) {
    super(events, maxMessage);
    this.frames = new Envelopes(maxMessage);
  }

  @Override
  void head(HttpResponse response) {
    httpStatus = response.status().code();
    if (httpStatus == 200) {
      events.headers(HttpMetadata.from(response.headers(), "", null));
    }
  }

  @Override
  void body(ByteBuf content) {
    if (closed) {
      return;
    }
    if (httpStatus != 200) {
      if (errorBody.length() < 4096) {
        errorBody.append(content.toString(StandardCharsets.UTF_8));
      }
      return;
    }
    try {
      for (Envelopes.Frame f : frames.add(content)) {
        if ((f.flags() & END_STREAM) != 0) {
          endOfStream(f.payload());
          return;
        } else if (f.flags() != 0) {
          close(compressed(), new Metadata());
          return;
        }
        events.message(f.payload());
      }
    } catch (Envelopes.TooLarge e) {
      close(tooLarge(e.length), new Metadata());
    }
  }

  private void endOfStream(byte[] payload) {
    JsonElement json;
    try {
      json = JsonParser.parseString(new String(payload, StandardCharsets.UTF_8));
    } catch (JsonParseException e) {
      close(
          Status.INTERNAL.withDescription("the Connect end-of-stream message is not JSON"),
          new Metadata());
      return;
    }
    JsonElement error = json.isJsonObject() ? json.getAsJsonObject().get("error") : null;
    JsonElement metadata = json.isJsonObject() ? json.getAsJsonObject().get("metadata") : null;
    Status status = error == null ? Status.OK : ConnectError.parse(error);
    close(
        status == null
            ? Status.UNKNOWN.withDescription("the end-of-stream error names no code")
            : status,
        ConnectError.metadata(metadata));
  }

  @Override
  void end() {
    if (closed) {
      return;
    }
    if (httpStatus != 200) {
      close(ConnectError.ofUnary(httpStatus, errorBody.toString()), new Metadata());
    } else {
      close(
          Status.INTERNAL.withDescription(
              "the Connect stream ended without its end-of-stream message"),
          new Metadata());
    }
  }

  private void close(Status status, Metadata trailers) {
    closed = true;
    events.close(status, trailers);
  }
}
