package dev.ferry.proxy.trace;

import dev.ferry.proxy.grpc.GrpcMessageText;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows the calls (streams) of one connection: cuts their DATA into gRPC messages, reads their
 * trailers, names root causes where the frames show them, and ends each call with one summary.
 */
final class GrpcCallTracker {
  private static final Set<String> TRANSPORT_HEADERS =
      Set.of(
          "content-type",
          "te",
          "user-agent",
          "grpc-accept-encoding",
          "grpc-encoding",
          "accept-encoding",
          "grpc-timeout",
          "content-length");

  private final ConnectionTrace connection;
  private final String upstream;
  private final Map<Integer, GrpcCall> calls = new LinkedHashMap<>();

  /** SETTINGS_MAX_HEADER_LIST_SIZE that limits header blocks travelling each way. */
  private final Map<Direction, Long> maxHeaderListSize = new EnumMap<>(Direction.class);

  private final GrpcHeaderChecks checks = new GrpcHeaderChecks(this::diagnose);
  private final ConnectTrace connect = new ConnectTrace(this);
  private final GrpcWebTrace web = new GrpcWebTrace(this);

  GrpcCallTracker(ConnectionTrace connection, String upstream) {
    this.connection = connection;
    this.upstream = upstream;
  }

  static boolean isTransportHeader(String name) {
    return TRANSPORT_HEADERS.contains(name);
  }

  String pathOf(int streamId) {
    GrpcCall call = calls.get(streamId);
    return call == null ? null : call.path;
  }

  private long now() {
    return connection.now();
  }

  /** Registers a new call before its HEADERS frame is shown, so the frame carries its method. */
  GrpcCall headersArriving(Direction direction, int streamId, Http2Headers headers) {
    GrpcCall call = calls.get(streamId);
    if (call == null && direction == Direction.CLIENT_TO_SERVER && headers.method() != null) {
      call = new GrpcCall(streamId, headers, now(), connection.options().maxMessageBytes());
      calls.put(streamId, call);
    }
    return call;
  }

  void settings(Direction direction, Http2Settings settings) {
    if (settings.maxHeaderListSize() != null) {
      maxHeaderListSize.put(direction.opposite(), settings.maxHeaderListSize());
    }
  }

  void headers(
      Direction direction, int streamId, Http2Headers headers, boolean endStream, int blockBytes) {
    GrpcCall call = calls.get(streamId);
    checks.headerListSize(direction, streamId, call, headers, maxHeaderListSize.get(direction));
    if (call == null || call.finished) {
      return;
    }
    if (direction == Direction.CLIENT_TO_SERVER) {
      if (headers.method() != null) {
        checks.request(call, headers);
      }
      call.clientEnded |= endStream;
      return;
    }
    if (!call.responseHeadersSeen) {
      call.responseHeadersSeen = true;
      checks.responseHeaders(call, headers);
      if (call.connect != null) {
        connect.responseHeaders(call);
      }
    }
    if (endStream) {
      readTrailers(call, headers);
      finish(call, null);
    } else if (call.web && headers.get("grpc-status") != null) {
      // gRPC-Web over HTTP/1.1 answers trailers-only with its status in the headers and an empty
      // body; the body's end finishes the call.
      readTrailers(call, headers);
    }
  }

  void readTrailers(GrpcCall call, Http2Headers trailers) {
    CharSequence status = trailers.get("grpc-status");
    CharSequence message = trailers.get("grpc-message");
    if (message != null) {
      call.grpcMessage = GrpcMessageText.decode(message.toString());
    }
    if (status != null) {
      call.status = HeaderLines.grpcStatusName(status.toString());
    } else if (call.grpc && call.httpStatus == 200) {
      diagnose(
          Direction.SERVER_TO_CLIENT,
          call.streamId,
          call,
          "the answer ended without grpc-status: the client reports INTERNAL or UNKNOWN;"
              + " something between dropped the trailers, or the server is not gRPC");
    }
    CharSequence local = trailers.get(dev.ferry.proxy.status.LocalReplyReason.HEADER);
    if (local != null) {
      diagnose(
          Direction.SERVER_TO_CLIENT,
          call.streamId,
          call,
          HeaderLines.localReply(local.toString(), call.grpcMessage));
    }
    if ("RESOURCE_EXHAUSTED".equals(call.status)) {
      long largest = call.largestMessage.get(Direction.CLIENT_TO_SERVER);
      if (largest > MessageRenderer.GRPC_DEFAULT_MAX_INBOUND) {
        diagnose(
            Direction.SERVER_TO_CLIENT,
            call.streamId,
            call,
            "RESOURCE_EXHAUSTED after a "
                + largest
                + "-byte request message: the server's"
                + " max inbound message size (gRPC's default is 4 MiB) refused it");
      }
    }
  }

  void data(Direction direction, int streamId, ByteBuf data, boolean endStream) {
    GrpcCall call = calls.get(streamId);
    if (call == null || call.finished) {
      return;
    }
    if (call.connect != null) {
      connect.data(call, direction, data, endStream);
      return;
    }
    boolean grpcBody =
        direction == Direction.CLIENT_TO_SERVER ? call.grpc : call.grpc && call.grpcResponse;
    if (grpcBody && call.webText) {
      web.text(call, direction, data);
    } else if (grpcBody) {
      call.reassemblers.get(direction).add(data, m -> message(call, direction, m));
    } else if (direction == Direction.SERVER_TO_CLIENT && call.bodyPreview.length() < 300) {
      int n = Math.min(data.readableBytes(), 300 - call.bodyPreview.length());
      call.bodyPreview.append(
          HeaderLines.printable(data.toString(data.readerIndex(), n, StandardCharsets.UTF_8)));
      call.messageBytes.merge(direction, (long) data.readableBytes(), Long::sum);
    }
    if (direction == Direction.CLIENT_TO_SERVER) {
      call.clientEnded |= endStream;
      if (endStream && call.reassemblers.get(direction).hasPartialMessage()) {
        diagnose(direction, streamId, call, "the request ended in the middle of a message");
      }
    } else if (endStream) {
      if (call.web && call.grpcResponse && call.status == null) {
        diagnose(
            direction,
            streamId,
            call,
            "the gRPC-Web answer ended without its trailer frame (flag 0x80) and without"
                + " grpc-status in its headers: the client reports the call failed (no status)");
      } else if (!call.web && call.grpc && call.grpcResponse) {
        diagnose(
            direction,
            streamId,
            call,
            "the answer ended with DATA, without trailers: the client reports INTERNAL (no"
                + " grpc-status)");
      }
      finish(call, null);
    }
  }

  /** A message in a JSON form (Connect's): shown as its text. */
  void jsonMessage(GrpcCall call, Direction direction, GrpcMessageReassembler.Message m) {
    int index = call.messages.merge(direction, 1, Integer::sum);
    call.messageBytes.merge(direction, m.length(), Long::sum);
    call.largestMessage.merge(direction, m.length(), Math::max);
    String text = new String(m.kept(), StandardCharsets.UTF_8);
    connection.emit(
        TraceEvent.Kind.MESSAGE,
        direction,
        call.streamId,
        "MESSAGE",
        call.path,
        false,
        "#" + index + " " + m.length() + " bytes, JSON" + (m.truncated() ? ", cut short" : ""),
        ConnectTrace.jsonLines(text),
        ConnectTrace.jsonFields(text));
    if (direction == Direction.CLIENT_TO_SERVER) {
      call.rememberRequest(null);
    }
  }

  /** Shows an event of {@code call}'s: see {@link ConnectionTrace#emit}. */
  void emit(
      TraceEvent.Kind kind,
      Direction direction,
      GrpcCall call,
      String type,
      boolean error,
      String headline,
      List<String> details,
      Map<String, Object> fields) {
    connection.emit(
        kind, direction, call.streamId, type, call.path, error, headline, details, fields);
  }

  /** What ended an answer in a body of its own (Connect's error or end-of-stream JSON). */
  void emitAnswer(GrpcCall call, String type, String headline, String json, boolean failed) {
    connection.emit(
        TraceEvent.Kind.MESSAGE,
        Direction.SERVER_TO_CLIENT,
        call.streamId,
        type,
        call.path,
        failed,
        headline,
        ConnectTrace.jsonLines(json),
        ConnectTrace.jsonFields(json));
  }

  void message(GrpcCall call, Direction direction, GrpcMessageReassembler.Message m) {
    if (call.web && direction == Direction.SERVER_TO_CLIENT && m.isWebTrailers()) {
      web.trailers(call, m);
      return;
    }
    int index = call.messages.merge(direction, 1, Integer::sum);
    call.messageBytes.merge(direction, m.length(), Long::sum);
    call.largestMessage.merge(direction, m.length(), Math::max);
    MessageRenderer.Rendered r =
        MessageRenderer.render(
            m, index, call.encoding(direction), call.path, direction, connection.options());
    connection.emit(
        TraceEvent.Kind.MESSAGE,
        direction,
        call.streamId,
        "MESSAGE",
        call.path,
        false,
        r.headline(),
        r.details(),
        r.fields());
    if (direction == Direction.CLIENT_TO_SERVER) {
      call.rememberRequest(r.json());
    }
    if (m.length() > MessageRenderer.GRPC_DEFAULT_MAX_INBOUND) {
      diagnose(
          direction,
          call.streamId,
          call,
          "message of "
              + m.length()
              + " bytes is over gRPC's default max inbound message size (4 MiB): the receiver"
              + " fails the call with RESOURCE_EXHAUSTED unless it raised its limit");
    }
  }

  void reset(Direction direction, int streamId, long errorCode) {
    GrpcCall call = calls.get(streamId);
    if (call != null && !call.finished) {
      boolean byClient = direction == Direction.CLIENT_TO_SERVER;
      String by = byClient ? "client" : "server";
      long elapsed = now() - call.startNanos;
      // When a deadline passes, the client cancels the stream, and so does a gRPC server that
      // enforces the grpc-timeout it received; whichever is first, the frames show only CANCEL.
      if (errorCode == io.netty.handler.codec.http2.Http2Error.CANCEL.code()
          && call.timeoutNanos >= 0
          && elapsed >= call.timeoutNanos * 3 / 4) {
        diagnose(
            direction,
            streamId,
            call,
            "the "
                + by
                + " cancelled when the call's deadline (grpc-timeout "
                + CallSummary.millis(call.timeoutNanos)
                + ") passed: the client reports DEADLINE_EXCEEDED; the server took longer than"
                + " that"
                + (call.responseHeadersSeen ? "" : " and had not even answered with headers"));
        finish(call, "DEADLINE_EXCEEDED (deadline passed; RST_STREAM CANCEL by the " + by + ")");
        return;
      }
      finish(call, "RST_STREAM " + Http2Names.errorCode(errorCode) + " by the " + by);
    }
  }

  void goAway(Direction direction, int lastStreamId, long errorCode) {
    if (direction != Direction.SERVER_TO_CLIENT) {
      return;
    }
    // The frame itself says what GOAWAY means; this names the calls it concerns, if any.
    List<Integer> unprocessed = new ArrayList<>();
    List<Integer> processing = new ArrayList<>();
    for (GrpcCall call : calls.values()) {
      if (!call.finished && call.streamId % 2 == 1) {
        (call.streamId > lastStreamId ? unprocessed : processing).add(call.streamId);
      }
    }
    if (!unprocessed.isEmpty()) {
      diagnose(
          direction,
          0,
          null,
          "GOAWAY last stream "
              + lastStreamId
              + ": streams "
              + unprocessed
              + " never reached the server's application; clients retry them on a new"
              + " connection (safe even for non-idempotent calls)");
    }
    if (!processing.isEmpty()) {
      diagnose(
          direction,
          0,
          null,
          "GOAWAY last stream "
              + lastStreamId
              + ": streams "
              + processing
              + (errorCode == 0
                  ? " were accepted and may still finish"
                  : " may have been processed, or not: not safe to retry blindly"));
    }
  }

  void connectionClosed() {
    for (GrpcCall call : new ArrayList<>(calls.values())) {
      if (!call.finished) {
        finish(call, "connection closed before the call ended");
      }
    }
  }

  void diagnose(Direction direction, int streamId, GrpcCall call, String text) {
    connection.emit(
        TraceEvent.Kind.DIAGNOSIS,
        direction,
        streamId,
        "DIAGNOSIS",
        call == null ? null : call.path,
        true,
        text,
        List.of(),
        Map.of());
  }

  void finish(GrpcCall call, String abnormalEnd) {
    call.finished = true;
    calls.remove(call.streamId);
    connection.emit(
        TraceEvent.Kind.CALL,
        null,
        call.streamId,
        "CALL",
        call.path,
        !"OK".equals(CallSummary.statusOf(call, abnormalEnd)),
        CallSummary.headline(call, abnormalEnd, now()),
        CallSummary.details(call, upstream),
        CallSummary.fields(call, abnormalEnd, now(), upstream));
  }
}
