package dev.ferry.proxy.config;

import java.util.List;
import java.util.Map;

/**
 * Changes to a header block: remove first, then set (replacing), then add (appending).
 *
 * @param set headers whose value replaces any existing ones, names lower case
 * @param add headers appended beside existing ones, names lower case
 * @param remove header names to drop, lower case
 */
public record HeaderRules(Map<String, String> set, Map<String, String> add, List<String> remove) {
  public static final HeaderRules NONE = new HeaderRules(Map.of(), Map.of(), List.of());

  public boolean isEmpty() {
    return set.isEmpty() && add.isEmpty() && remove.isEmpty();
  }
}
