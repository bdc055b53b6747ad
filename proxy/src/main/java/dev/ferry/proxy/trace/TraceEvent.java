package dev.ferry.proxy.trace;

import java.util.List;
import java.util.Map;

/**
 * One thing the tap saw: a frame, a gRPC message, a call's summary, a diagnosis or a parse error.
 * Text and JSON output are both rendered from it, and filters select on its fields.
 *
 * @param kind what sort of event this is
 * @param elapsedNanos time since the connection began
 * @param connectionId the tap's number for the connection, from 1
 * @param direction which way the bytes went, or {@code null} for events of the whole call
 * @param streamId the HTTP/2 stream, 0 for the connection
 * @param type the frame type ({@code HEADERS}) or the event's name ({@code MESSAGE}, {@code CALL})
 * @param method the call's {@code :path} when known, else {@code null}
 * @param error whether this event shows something going wrong
 * @param headline the one line after the event's prefix
 * @param details further lines, each printed indented under the headline
 * @param fields typed values for JSON output, in display order
 */
public record TraceEvent(
    Kind kind,
    long elapsedNanos,
    long connectionId,
    Direction direction,
    int streamId,
    String type,
    String method,
    boolean error,
    String headline,
    List<String> details,
    Map<String, Object> fields) {

  /** The sorts of events. */
  public enum Kind {
    CONNECTION,
    FRAME,
    MESSAGE,
    CALL,
    DIAGNOSIS,
    PARSE_ERROR,
    HTTP1
  }

  public TraceEvent {
    details = List.copyOf(details);
    fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
  }
}
