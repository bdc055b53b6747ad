package dev.ferry.proxy.trace;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Follows Connect calls (connectrpc.com's protocol) through the tap. A unary call's body is its
 * whole message, and an error answer is JSON under a status other than 200; a stream's messages are
 * framed as gRPC's, and it ends with an end-of-stream message (flag 0x02) holding the error, if
 * any, as JSON. Messages in the proto form are shown as gRPC's are, in the JSON form as their text.
 */
final class ConnectTrace {
  private static final int END_STREAM = 0x02;

  /** A method's path: /package.Service/Method. */
  private static final Pattern RPC_PATH = Pattern.compile("/[^/?]+\\.[^/?]+/[^/?]+");

  /**
   * How a Connect call's bodies travel: enveloped (a stream) or whole; proto or JSON. {@code
   * declared}: the request says it is Connect (a content type or header of Connect's own), rather
   * than being JSON or protobuf posted to a method's path, which may also be a mistake.
   */
  record Form(boolean stream, boolean json, boolean declared) {
    /** The form of {@code request}, or null when it is not a Connect request. */
    static Form of(Http2Headers request) {
      CharSequence contentType = request.get("content-type");
      String type = contentType == null ? "" : contentType.toString();
      if (type.startsWith("application/connect+")) {
        return new Form(true, type.startsWith("application/connect+json"), true);
      }
      CharSequence path = request.path();
      boolean unaryType =
          type.startsWith("application/proto") || type.startsWith("application/json");
      // curl's Connect calls often leave out connect-protocol-version; a method's path tells
      // them from other JSON traffic.
      boolean declared = request.contains("connect-protocol-version");
      if (unaryType && (declared || (path != null && RPC_PATH.matcher(path).matches()))) {
        return new Form(false, type.startsWith("application/json"), declared);
      }
      if ("GET".contentEquals(request.method() == null ? "" : request.method())
          && path != null
          && path.toString().contains("connect=v1")) {
        return new Form(false, !path.toString().contains("encoding=proto"), true);
      }
      return null;
    }
  }

  private final GrpcCallTracker tracker;

  ConnectTrace(GrpcCallTracker tracker) {
    this.tracker = tracker;
  }

  /**
   * The answer's headers have been read: a 415 to JSON or protobuf that did not say it was Connect
   * came from a gRPC server, which takes application/grpc only.
   */
  void responseHeaders(GrpcCall call) {
    if (call.httpStatus == 415 && !call.connect.declared()) {
      tracker.diagnose(
          Direction.SERVER_TO_CLIENT,
          call.streamId,
          call,
          "415 to a request of content-type '"
              + (call.connect.json() ? "application/json" : "application/proto")
              + "': a gRPC server takes application/grpc only; a Connect server (or a bridge such"
              + " as ferry serve's) takes this one");
    }
  }

  /** A piece of a Connect call's body, from {@code direction}. */
  void data(GrpcCall call, Direction direction, ByteBuf data, boolean endStream) {
    boolean response = direction == Direction.SERVER_TO_CLIENT;
    boolean errorBody = response && call.httpStatus != 200;
    if (call.connect.stream() && !errorBody) {
      call.reassemblers.get(direction).add(data, m -> streamPart(call, direction, m));
    } else {
      call.keepWhole(direction, data);
    }
    if (!endStream) {
      return;
    }
    if (!response) {
      call.clientEnded = true;
      if (!call.connect.stream()) {
        wholeMessage(call, direction);
      }
      return;
    }
    if (errorBody) {
      error(call, call.wholeBody(direction));
    } else if (!call.connect.stream()) {
      wholeMessage(call, direction);
      call.status = "OK";
    } else if (call.status == null) {
      tracker.diagnose(
          direction,
          call.streamId,
          call,
          "the Connect stream ended without its end-of-stream message (flag 0x02): the client"
              + " reports the call failed");
    }
    tracker.finish(call, null);
  }

  private void streamPart(GrpcCall call, Direction direction, GrpcMessageReassembler.Message m) {
    if (direction == Direction.SERVER_TO_CLIENT && (m.flags() & END_STREAM) != 0) {
      endOfStream(call, m);
    } else {
      message(call, direction, m);
    }
  }

  private void message(GrpcCall call, Direction direction, GrpcMessageReassembler.Message m) {
    if (call.connect.json()) {
      tracker.jsonMessage(call, direction, m);
    } else {
      tracker.message(call, direction, m);
    }
  }

  /** A unary body, whole: one message (an empty body is an empty message). */
  private void wholeMessage(GrpcCall call, Direction direction) {
    byte[] body = call.wholeBody(direction);
    message(
        call, direction, new GrpcMessageReassembler.Message(0, call.wholeLength(direction), body));
  }

  /** The end-of-stream message: shown, and read for the call's status. */
  private void endOfStream(GrpcCall call, GrpcMessageReassembler.Message m) {
    String text = new String(m.kept(), StandardCharsets.UTF_8);
    JsonObject end = parse(text);
    JsonElement error = end == null ? null : end.get("error");
    tracker.emitAnswer(call, "END_STREAM", "Connect end-of-stream message", text, error != null);
    if (error == null) {
      call.status = end == null ? null : "OK";
    } else {
      readError(call, error);
    }
  }

  /** A unary answer's (or a refused stream's) error JSON: shown, and read for the status. */
  private void error(GrpcCall call, byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    tracker.emitAnswer(call, "ERROR", "Connect error, HTTP " + call.httpStatus, text, true);
    JsonObject error = parse(text);
    if (error == null) {
      tracker.diagnose(
          Direction.SERVER_TO_CLIENT,
          call.streamId,
          call,
          "HTTP "
              + call.httpStatus
              + " without a Connect error JSON in the body: an intermediary or a server that is"
              + " not Connect answered");
      return;
    }
    readError(call, error);
  }

  private static void readError(GrpcCall call, JsonElement error) {
    if (!error.isJsonObject()) {
      return;
    }
    JsonObject o = error.getAsJsonObject();
    if (o.has("code") && o.get("code").isJsonPrimitive()) {
      String code = o.get("code").getAsString();
      call.status = code.equals("canceled") ? "CANCELLED" : code.toUpperCase(Locale.ROOT);
    }
    if (o.has("message") && o.get("message").isJsonPrimitive()) {
      call.grpcMessage = o.get("message").getAsString();
    }
  }

  private static JsonObject parse(String text) {
    try {
      JsonElement e = JsonParser.parseString(text);
      return e.isJsonObject() ? e.getAsJsonObject() : null;
    } catch (JsonParseException e) {
      return null;
    }
  }

  /** The lines of a JSON text as shown under an event: compact, printable, cut at a bound. */
  static List<String> jsonLines(String text) {
    String line = HeaderLines.printable(text.strip());
    return List.of("json: " + (line.length() > 2000 ? line.substring(0, 2000) + "…" : line));
  }

  static Map<String, Object> jsonFields(String text) {
    return Map.of("text", text);
  }
}
