package dev.ferry.proxy.trace;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Chooses which events to show: one method, errors only, some frame types, or only the summaries.
 *
 * @param method shows only events of calls whose path contains this, such as {@code SayHello}; null
 *     for all
 * @param errorsOnly shows only events that show something going wrong
 * @param frameTypes frame types to show ({@code HEADERS}, {@code DATA}); empty for all. Events that
 *     are not frames are not affected
 * @param summaryOnly shows only call summaries and parse errors
 */
public record TraceFilter(
    String method, boolean errorsOnly, Set<String> frameTypes, boolean summaryOnly) {

  public static TraceFilter all() {
    return new TraceFilter(null, false, Set.of(), false);
  }

  public TraceFilter {
    frameTypes =
        frameTypes.stream().map(t -> t.trim().toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  public boolean accepts(TraceEvent e) {
    if (summaryOnly
        && e.kind() != TraceEvent.Kind.CALL
        && e.kind() != TraceEvent.Kind.PARSE_ERROR) {
      return false;
    }
    if (method != null && (e.method() == null || !e.method().contains(method))) {
      return false;
    }
    if (errorsOnly && !e.error()) {
      return false;
    }
    return e.kind() != TraceEvent.Kind.FRAME
        || frameTypes.isEmpty()
        || frameTypes.contains(e.type());
  }
}
