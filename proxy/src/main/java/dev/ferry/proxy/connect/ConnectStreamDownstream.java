package dev.ferry.proxy.connect;

import com.google.gson.JsonArray;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.ferry.proxy.grpc.GrpcMessageReader;
import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.transport.Downstream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The answer to a streaming Connect call, passed on as the backend sends it: HTTP 200 with the
 * streaming content type, each message in an envelope (a binary message's gRPC frame already is
 * one, so it passes as it came; a JSON one is converted message by message), and the trailers as
 * the end-of-stream envelope. A Trailers-Only answer (ferry's own replies among them) becomes
 * headers and an end-of-stream envelope with the error, as Connect streams always end.
 */
final class ConnectStreamDownstream extends ConnectDownstream {
  private static final AsciiString CONTENT_TYPE = AsciiString.cached("content-type");

  private final GrpcMessageReader reader; // JSON only: the backend's messages, to convert
  private boolean headersSent;
  private boolean ended;

  ConnectStreamDownstream(Downstream down, ConnectCodec codec, boolean requestConverted) {
    super(down, codec, requestConverted);
    this.reader =
        codec == ConnectCodec.JSON
            ? new GrpcMessageReader(ConnectUnaryDownstream.MAX_MESSAGE)
            : null;
  }

  @Override
  public void writeHeaders(int streamId, Http2Headers block, boolean endStream) {
    if (ended) {
      return;
    }
    if (!headersSent) {
      headersSent = true;
      Http2Headers h = new DefaultHttp2Headers(false, 8);
      h.status("200");
      h.set(CONTENT_TYPE, codec.contentType(true));
      ConnectMetadata.copy(block, h, "");
      down.writeHeaders(streamId, h, false);
      if (endStream) {
        end(streamId, ConnectMetadata.status(block), Map.of());
      }
      return;
    }
    end(streamId, ConnectMetadata.status(block), ConnectMetadata.json(block));
  }

  @Override
  public void writeData(
      int streamId,
      ByteBuf data,
      boolean endStream,
      GenericFutureListener<? extends Future<? super Void>> onWritten) {
    if (ended) {
      data.release();
      taken(onWritten);
    } else if (reader == null) {
      down.writeData(streamId, data, false, onWritten); // gRPC frames are Connect envelopes
    } else {
      ByteBuf envelopes = toJson(streamId, data);
      if (envelopes == null) {
        taken(onWritten);
      } else {
        down.writeData(streamId, envelopes, false, onWritten);
      }
    }
  }

  /** The JSON envelopes of the messages {@code data} (released) completes, or null for none. */
  private ByteBuf toJson(int streamId, ByteBuf data) {
    ByteBuf out = null;
    try {
      reader.add(data);
      byte[] m;
      while ((m = reader.next()) != null) {
        byte[] json = schema.responseToJson(m).getBytes(StandardCharsets.UTF_8);
        if (out == null) {
          out = ByteBufAllocator.DEFAULT.buffer(ConnectEnvelope.PREFIX + json.length);
        }
        out.writeByte(0).writeInt(json.length).writeBytes(json);
      }
      return out;
    } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
      if (out != null) {
        out.release();
      }
      end(
          streamId,
          ConnectStatus.of(
              GrpcCode.INTERNAL,
              "ferry: the backend's response cannot be passed on as JSON"
                  + (schema == null ? "" : " of " + schema.responseType())
                  + ": "
                  + e.getMessage()),
          Map.of());
      return null;
    } finally {
      data.release();
    }
  }

  private void end(int streamId, ConnectStatus status, Map<String, JsonArray> meta) {
    ended = true;
    byte[] json = ConnectErrors.endStreamJson(status, meta);
    down.writeData(streamId, ConnectEnvelope.of(ConnectEnvelope.END_STREAM, json), true, f -> {});
  }
}
