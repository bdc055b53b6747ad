package dev.ferry.proxy.e2e;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/2 client that does what real clients must not: frames are written by Netty's {@link
 * DefaultHttp2FrameWriter} (through an EmbeddedChannel, which only collects the bytes) and sent on
 * a plain socket, so a test can flood, reset and dribble at will; what the server sends back is
 * read frame by frame.
 */
final class RawHttp2Client implements AutoCloseable {
  static final int DATA = 0x0;
  static final int HEADERS = 0x1;
  static final int RST_STREAM = 0x3;
  static final int SETTINGS = 0x4;
  static final int GOAWAY = 0x7;

  /** A frame the server sent. */
  record Frame(int type, int flags, int streamId, byte[] payload) {
    int errorCode() {
      int at = type == GOAWAY ? 4 : 0;
      return ((payload[at] & 0xff) << 24)
          | ((payload[at + 1] & 0xff) << 16)
          | ((payload[at + 2] & 0xff) << 8)
          | (payload[at + 3] & 0xff);
    }

    /** DATA or HEADERS carrying END_STREAM. */
    boolean endsStream() {
      return (type == DATA || type == HEADERS) && (flags & 0x1) != 0;
    }

    String debugData() {
      return type == GOAWAY
          ? new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8)
          : "";
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  private final EmbeddedChannel bytes = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
  private final ChannelHandlerContext ctx = bytes.pipeline().firstContext();
  private final DefaultHttp2FrameWriter writer =
      new DefaultHttp2FrameWriter(Http2HeadersEncoder.NEVER_SENSITIVE, true);
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);

  RawHttp2Client(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(20_000);
    out = socket.getOutputStream();
    in = new DataInputStream(socket.getInputStream());
  }

  /** The connection preface and an empty SETTINGS, as every client starts. */
  RawHttp2Client preface() throws IOException {
    ByteBuf p = Http2CodecUtil.connectionPrefaceBuf();
    bytes.writeOutbound(p);
    writer.writeSettings(ctx, new Http2Settings(), ctx.newPromise());
    return flush();
  }

  /** Bytes as they are, for what is not a frame (a broken preface). */
  RawHttp2Client raw(byte[] data) {
    bytes.writeOutbound(Unpooled.wrappedBuffer(data));
    return this;
  }

  /** Request headers of a unary SayHello on {@code streamId}. */
  static Http2Headers sayHello() {
    return new DefaultHttp2Headers()
        .method("POST")
        .scheme("http")
        .path("/helloworld.Greeter/SayHello")
        .authority("127.0.0.1")
        .set("content-type", "application/grpc")
        .set("te", "trailers");
  }

  RawHttp2Client headers(int streamId, Http2Headers headers, boolean endStream) {
    writer.writeHeaders(ctx, streamId, headers, 0, endStream, ctx.newPromise());
    return this;
  }

  RawHttp2Client rst(int streamId) {
    writer.writeRstStream(ctx, streamId, Http2Error.CANCEL.code(), ctx.newPromise());
    return this;
  }

  RawHttp2Client ping(long data) {
    writer.writePing(ctx, false, data, ctx.newPromise());
    return this;
  }

  RawHttp2Client settings() {
    writer.writeSettings(ctx, new Http2Settings(), ctx.newPromise());
    return this;
  }

  RawHttp2Client emptyData(int streamId) {
    writer.writeData(ctx, streamId, Unpooled.EMPTY_BUFFER, 0, false, ctx.newPromise());
    return this;
  }

  /** A raw frame; for what the writer will not produce (a CONTINUATION on its own). */
  RawHttp2Client frame(int type, int flags, int streamId, byte[] payload) {
    ByteBuf b = Unpooled.buffer(9 + payload.length);
    b.writeMedium(payload.length).writeByte(type).writeByte(flags).writeInt(streamId);
    b.writeBytes(payload);
    bytes.writeOutbound(b);
    return this;
  }

  /** HEADERS without END_HEADERS: a header block still open. */
  RawHttp2Client openHeaderBlock(int streamId) {
    return frame(0x1, 0, streamId, new byte[] {(byte) 0x83}); // ":method: POST", indexed
  }

  RawHttp2Client continuation(int streamId, byte[] fragment) {
    return frame(0x9, 0, streamId, fragment);
  }

  /** Sends whatever was written so far; stops quietly when the server has closed. */
  RawHttp2Client flush() throws IOException {
    bytes.flushOutbound();
    boolean open = true;
    ByteBuf b;
    while ((b = bytes.readOutbound()) != null) {
      try {
        if (open) {
          b.readBytes(out, b.readableBytes());
        }
      } catch (SocketException closed) {
        open = false; // the server hung up mid-flood: the test looks at what it said before
      } finally {
        b.release();
      }
    }
    if (open) {
      out.flush();
    }
    return this;
  }

  /** The next frame from the server, or {@code null} at the end of the connection. */
  Frame next() throws IOException {
    try {
      int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
      int type = in.readUnsignedByte();
      int flags = in.readUnsignedByte();
      int stream = in.readInt() & 0x7fffffff;
      byte[] payload = new byte[length];
      in.readFully(payload);
      return new Frame(type, flags, stream, payload);
    } catch (EOFException | SocketException end) {
      return null;
    }
  }

  /**
   * The header block of a HEADERS frame the server sent in one frame, without padding or priority.
   * HPACK keeps state across blocks, so a test decodes the server's header frames in order.
   */
  Http2Headers decodeHeaders(Frame headers) throws Http2Exception {
    ByteBuf block = Unpooled.wrappedBuffer(headers.payload());
    try {
      return decoder.decodeHeaders(headers.streamId(), block);
    } finally {
      block.release();
    }
  }

  /** Reads until a frame of {@code type} (returned) or the end of the connection ({@code null}). */
  Frame await(int type) throws IOException {
    Frame f;
    while ((f = next()) != null) {
      if (f.type() == type) {
        return f;
      }
    }
    return null;
  }

  /**
   * Ends what the client sends (a FIN): the server reads every byte sent before it, where a close
   * with the server's frames unread would be a reset that may overtake them.
   */
  RawHttp2Client endOutput() throws IOException {
    socket.shutdownOutput();
    return this;
  }

  /** Reads until the server closes the connection; whether it did within the socket timeout. */
  boolean awaitClose() throws IOException {
    try {
      while (next() != null) {
        // drain
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    bytes.finishAndReleaseAll();
    socket.close();
  }
}
