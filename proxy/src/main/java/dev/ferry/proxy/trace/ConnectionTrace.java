package dev.ferry.proxy.trace;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the tap knows about one connection: which protocol it speaks, a parser per direction,
 * and the calls in flight. Confined to the connection's event loop. It only ever reads copies of
 * the relayed bytes, so nothing it does (or fails to do) changes what is relayed.
 */
public final class ConnectionTrace {
  private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

  private enum Mode {
    DETECTING,
    HTTP2,
    HTTP1,
    STOPPED
  }

  private final long id;
  private final TraceOptions options;
  private final TraceSink sink;
  private final long startNanos;

  /** When the bytes being parsed arrived: every event they produce carries this time. */
  private long arrivalNanos;

  private final Map<Direction, ByteBuf> cumulations = new EnumMap<>(Direction.class);
  private final Map<Direction, Http2DirectionParser> parsers = new EnumMap<>(Direction.class);
  private final GrpcCallTracker calls;
  private Http1Trace http1;
  private Mode mode = Mode.DETECTING;
  private boolean closed;

  /**
   * @param id the tap's number for this connection
   * @param upstream the address the tap relays to, as {@code host:port}, for repeat commands
   */
  public ConnectionTrace(long id, String upstream, TraceOptions options, TraceSink sink) {
    this.id = id;
    this.options = options;
    this.sink = sink;
    this.startNanos = options.nanoClock().getAsLong();
    this.arrivalNanos = startNanos;
    this.calls = new GrpcCallTracker(this, upstream);
    for (Direction d : Direction.values()) {
      parsers.put(d, new Http2DirectionParser(new FrameEventWriter(this, d, calls)));
    }
  }

  public long id() {
    return id;
  }

  TraceOptions options() {
    return options;
  }

  Http2DirectionParser parser(Direction d) {
    return parsers.get(d);
  }

  /** The clock reading for the bytes being parsed now. */
  long now() {
    return arrivalNanos;
  }

  /** Reports the new connection. */
  public void opened(String client, String upstream) {
    arrivalNanos = options.nanoClock().getAsLong();
    emit(
        TraceEvent.Kind.CONNECTION,
        null,
        0,
        "OPEN",
        null,
        false,
        client + " → " + upstream,
        List.of(),
        Map.of("client", client, "upstream", upstream));
  }

  /**
   * Parses a copy of bytes that were relayed in {@code direction}. Takes ownership of {@code data}.
   */
  public void bytes(ChannelHandlerContext ctx, Direction direction, ByteBuf data) {
    arrivalNanos = options.nanoClock().getAsLong();
    try {
      if (mode == Mode.STOPPED || closed) {
        return;
      }
      ByteBuf cumulation = cumulations.get(direction);
      if (cumulation == null) {
        cumulation = ctx.alloc().heapBuffer(Math.max(256, data.readableBytes()));
        cumulations.put(direction, cumulation);
      }
      cumulation.writeBytes(data);
    } finally {
      data.release();
    }
    process(ctx, direction);
    if ((mode == Mode.HTTP2 || mode == Mode.HTTP1) && direction == Direction.CLIENT_TO_SERVER) {
      // Server bytes that came before the client's preface was complete wait until now.
      process(ctx, Direction.SERVER_TO_CLIENT);
    }
  }

  private void process(ChannelHandlerContext ctx, Direction direction) {
    ByteBuf cumulation = cumulations.get(direction);
    if (cumulation == null) {
      return;
    }
    if (mode == Mode.DETECTING && direction == Direction.CLIENT_TO_SERVER) {
      detect(cumulation);
    }
    try {
      switch (mode) {
        case HTTP2 -> parsers.get(direction).decode(ctx, cumulation);
        case HTTP1 -> http1.bytes(direction, cumulation);
        default -> {
          return;
        }
      }
    } catch (Exception e) {
      stop(direction, e);
      return;
    }
    cumulation.discardSomeReadBytes();
  }

  private void detect(ByteBuf in) {
    int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
    if (ByteBufUtil.equals(in, in.readerIndex(), PREFACE, 0, n)) {
      if (n == PREFACE.readableBytes()) {
        // The 24-byte preface is not a frame; the client's SETTINGS follow it.
        in.skipBytes(n);
        mode = Mode.HTTP2;
      }
      return;
    }
    if (Http1Trace.looksLikeRequest(in)) {
      mode = Mode.HTTP1;
      http1 = new Http1Trace(this, calls);
      return;
    }
    String why =
        in.getUnsignedByte(in.readerIndex()) == 0x16
            ? "it looks like a TLS ClientHello: the client speaks TLS to a plaintext tap"
            : "first bytes " + ByteBufUtil.hexDump(in, in.readerIndex(), Math.min(16, n));
    stop(
        Direction.CLIENT_TO_SERVER,
        new IllegalStateException(
            "neither the HTTP/2 connection preface nor an HTTP/1.1 request: " + why));
  }

  private void stop(Direction direction, Exception e) {
    mode = Mode.STOPPED;
    String message = e.getMessage() != null ? e.getMessage() : e.toString();
    if (e instanceof io.netty.handler.codec.http2.Http2Exception h2) {
      message = h2.error().name() + ": " + message;
    }
    emit(
        TraceEvent.Kind.PARSE_ERROR,
        direction,
        0,
        "PARSE_ERROR",
        null,
        true,
        message + " (parsing of this connection stops; bytes are still relayed)",
        List.of(),
        Map.of("message", message));
    releaseCumulations();
  }

  /**
   * Reports a failure of the transport under the frames: a refused connect, a reset, a TLS
   * handshake that failed. {@code where} says which side.
   */
  public void transportFailed(String where, Throwable cause) {
    if (closed) {
      return;
    }
    arrivalNanos = options.nanoClock().getAsLong();
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() != null ? root.getMessage() : root.toString();
    emit(
        TraceEvent.Kind.CONNECTION,
        null,
        0,
        "TRANSPORT",
        null,
        true,
        where + ": " + message,
        List.of(),
        Map.of("where", where, "message", message));
  }

  /** Reports the end of the connection and of every call still open on it. */
  public void closed() {
    if (closed) {
      return;
    }
    closed = true;
    arrivalNanos = options.nanoClock().getAsLong();
    calls.connectionClosed();
    if (http1 != null) {
      http1.close();
    }
    parsers.values().forEach(Http2DirectionParser::close);
    releaseCumulations();
    emit(TraceEvent.Kind.CONNECTION, null, 0, "CLOSE", null, false, "closed", List.of(), Map.of());
  }

  private void releaseCumulations() {
    cumulations.values().forEach(ByteBuf::release);
    cumulations.clear();
  }

  /** Sends an event stamped with this connection and the time since it began. */
  void emit(
      TraceEvent.Kind kind,
      Direction direction,
      int streamId,
      String type,
      String method,
      boolean error,
      String headline,
      List<String> details,
      Map<String, Object> fields) {
    long elapsed = arrivalNanos - startNanos;
    sink.accept(
        new TraceEvent(
            kind,
            elapsed,
            id,
            direction,
            streamId,
            type,
            method,
            error,
            headline,
            details,
            new LinkedHashMap<>(fields)));
  }
}
