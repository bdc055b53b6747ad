package dev.ferry.proxy.transcode;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.ferry.proxy.grpc.GrpcMessageReader;
import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.transport.Downstream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.nio.charset.StandardCharsets;

/**
 * The answer to a transcoded server stream, as grpc-gateway writes one: newline-delimited JSON,
 * each message as {@code {"result":{...}}} the moment it arrives (the write's completion is passed
 * back, so a slow client holds the backend), and a failure after the first message as a last line
 * {@code {"error":{"code":...}}}. A stream that fails before any message answers as a unary call
 * does: google.rpc.Status JSON with its HTTP status.
 */
final class StreamJsonDownstream extends TranscodeDownstream {
  static final AsciiString NDJSON = AsciiString.cached("application/x-ndjson");
  private static final int MAX_MESSAGE = UnaryJsonDownstream.MAX_MESSAGE;
  private static final byte[] RESULT = "{\"result\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] ERROR = "{\"error\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CLOSE = "}\n".getBytes(StandardCharsets.UTF_8);

  /** Where the answer is: nothing sent yet, messages flowing, or ended. */
  private enum Phase {
    WAITING,
    STREAMING,
    ENDED
  }

  private final GrpcMessageReader reader = new GrpcMessageReader(MAX_MESSAGE);
  private Phase phase = Phase.WAITING;

  StreamJsonDownstream(Downstream down, HttpBinding binding) {
    super(down, binding);
  }

  @Override
  public void writeHeaders(int streamId, Http2Headers block, boolean endStream) {
    if (phase == Phase.ENDED || !endStream) {
      return; // the response's headers: the HTTP status waits for the first message
    }
    RpcStatusJson.Error error = RpcStatusJson.of(block);
    if (phase == Phase.WAITING && error != null) {
      phase = Phase.ENDED;
      send(streamId, error.httpStatus(), error.json(), block.get(LocalReplyReason.HEADER));
      return;
    }
    if (phase == Phase.WAITING) {
      writeStatus(streamId, 200, NDJSON, -1, null); // a stream of no messages
    }
    end(streamId, error);
  }

  @Override
  public void writeData(
      int streamId,
      ByteBuf data,
      boolean endStream,
      GenericFutureListener<? extends Future<? super Void>> onWritten) {
    if (phase == Phase.ENDED) {
      data.release();
      taken(down, onWritten);
      return;
    }
    ByteBuf lines = ByteBufAllocator.DEFAULT.buffer();
    RpcStatusJson.Error failure = null;
    try {
      reader.add(data);
      byte[] m;
      while ((m = reader.next()) != null) {
        lines.writeBytes(RESULT).writeBytes(ResponseJson.of(binding, m)).writeBytes(CLOSE);
      }
    } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
      failure =
          RpcStatusJson.error(
              GrpcCode.INTERNAL,
              "ferry: the backend's response cannot be passed on: " + e.getMessage(),
              null);
    } finally {
      data.release();
    }
    if (lines.isReadable() || failure != null) {
      if (phase == Phase.WAITING) {
        phase = Phase.STREAMING;
        writeStatus(streamId, 200, NDJSON, -1, null);
      }
      down.writeData(streamId, lines, false, onWritten);
    } else {
      lines.release();
      taken(down, onWritten); // only part of a message yet: held, bounded by MAX_MESSAGE
    }
    if (failure != null) {
      end(streamId, failure);
    }
  }

  /** Ends the body, with an error line when the stream failed. */
  private void end(int streamId, RpcStatusJson.Error error) {
    phase = Phase.ENDED;
    ByteBuf last =
        error == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(ERROR, error.json(), CLOSE);
    down.writeData(streamId, last, true, f -> {});
  }
}
