package dev.ferry.proxy.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts calls by the status they ended with, for the table printed when the tap stops. */
public final class CallStatusTable {
  private final Map<String, Integer> counts = new TreeMap<>();

  /** Counts a call summary; other events are ignored. Safe to call from any thread. */
  public synchronized void record(TraceEvent e) {
    if (e.kind() == TraceEvent.Kind.CALL) {
      counts.merge(String.valueOf(e.fields().get("status")), 1, Integer::sum);
    }
  }

  /** The table as lines, {@code OK} first, then by count; empty when no call was seen. */
  public synchronized List<String> lines() {
    List<Map.Entry<String, Integer>> rows = new ArrayList<>(counts.entrySet());
    rows.sort(
        (a, b) ->
            a.getKey().equals("OK")
                ? -1
                : b.getKey().equals("OK") ? 1 : Integer.compare(b.getValue(), a.getValue()));
    List<String> lines = new ArrayList<>();
    if (rows.isEmpty()) {
      return lines;
    }
    int total = rows.stream().mapToInt(Map.Entry::getValue).sum();
    lines.add(String.format("%-40s %7s", "calls by status", "count"));
    for (Map.Entry<String, Integer> r : rows) {
      lines.add(String.format("%-40s %7d", r.getKey(), r.getValue()));
    }
    lines.add(String.format("%-40s %7d", "total", total));
    return lines;
  }
}
