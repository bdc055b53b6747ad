package dev.ferry.proxy.trace;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Renders events as lines of text (optionally coloured with ANSI codes) or as JSON objects. */
public final class TraceFormatter {
  private static final String RESET = "\u001b[0m";
  private static final String BOLD = "\u001b[1m";
  private static final String DIM = "\u001b[2m";
  private static final String RED = "\u001b[31m";
  private static final String GREEN = "\u001b[32m";
  private static final String YELLOW = "\u001b[33m";
  private static final String MAGENTA = "\u001b[35m";
  private static final String CYAN = "\u001b[36m";
  private static final String DETAIL_INDENT = "                              ";

  private final boolean json;
  private final boolean color;

  private TraceFormatter(boolean json, boolean color) {
    this.json = json;
    this.color = color;
  }

  /** Lines of text; ANSI colours when {@code color}. */
  public static TraceFormatter text(boolean color) {
    return new TraceFormatter(false, color);
  }

  /** One JSON object per event, on one line. */
  public static TraceFormatter json() {
    return new TraceFormatter(true, false);
  }

  /** The event as one or more lines, without a trailing newline. */
  public String format(TraceEvent e) {
    return json ? formatJson(e) : formatText(e);
  }

  private String formatText(TraceEvent e) {
    StringBuilder s = new StringBuilder();
    s.append(paint(DIM, String.format(Locale.ROOT, "%10.3fms", e.elapsedNanos() / 1e6)));
    s.append(' ').append(String.format("c%-3d", e.connectionId())).append(' ');
    s.append(arrow(e.direction())).append(' ');
    s.append(String.format("s%-4d", e.streamId())).append(' ');
    s.append(paint(BOLD, String.format("%-13s", e.type()))).append(' ');
    s.append(paint(headlineColor(e), e.headline()));
    for (String d : e.details()) {
      s.append('\n').append(DETAIL_INDENT).append(paint(detailColor(e, d), d));
    }
    return s.toString();
  }

  private String arrow(Direction d) {
    if (d == null) {
      return "·";
    }
    return paint(d == Direction.CLIENT_TO_SERVER ? CYAN : MAGENTA, d.arrow());
  }

  private static String headlineColor(TraceEvent e) {
    if (e.kind() == TraceEvent.Kind.CALL) {
      return e.error() ? RED + BOLD : GREEN + BOLD;
    }
    if (e.kind() == TraceEvent.Kind.DIAGNOSIS) {
      return YELLOW + BOLD;
    }
    return e.error() ? RED : null;
  }

  private static String detailColor(TraceEvent e, String line) {
    boolean grpcOutcome =
        line.startsWith("grpc-status")
            || line.startsWith("grpc-message")
            || line.startsWith(dev.ferry.proxy.status.LocalReplyReason.HEADER);
    if (grpcOutcome) {
      return e.error() ? RED + BOLD : GREEN + BOLD;
    }
    return line.startsWith("hex: ") ? DIM : null;
  }

  private String paint(String code, String text) {
    return color && code != null ? code + text + RESET : text;
  }

  private static String formatJson(TraceEvent e) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("t_ms", Math.round(e.elapsedNanos() / 1e3) / 1e3);
    o.put("conn", e.connectionId());
    o.put("kind", e.kind().name().toLowerCase(Locale.ROOT));
    o.put("dir", e.direction() == null ? null : e.direction().shortName());
    o.put("stream", e.streamId());
    o.put("type", e.type());
    o.put("method", e.method());
    o.put("error", e.error());
    o.put("text", e.headline());
    if (!e.details().isEmpty()) {
      o.put("details", e.details());
    }
    for (Map.Entry<String, Object> f : e.fields().entrySet()) {
      o.putIfAbsent(f.getKey(), f.getValue());
    }
    StringBuilder s = new StringBuilder();
    JsonText.write(s, o);
    return s.toString();
  }
}
