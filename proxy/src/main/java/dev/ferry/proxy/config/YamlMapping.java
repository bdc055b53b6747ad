package dev.ferry.proxy.config;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * A YAML mapping being read key by key; what is missing is reported at the mapping itself, what is
 * wrong at the key.
 */
final class YamlMapping {
  private final YamlValue self;
  private final Map<String, YamlValue> entries;
  private final Set<String> misspelt;

  /**
   * @param misspelt known keys that an unknown key was probably meant to be: their absence is
   *     already explained by the "did you mean" error, and is not reported again
   */
  YamlMapping(YamlValue self, Map<String, YamlValue> entries, Set<String> misspelt) {
    this.self = self;
    this.entries = entries;
    this.misspelt = misspelt;
  }

  Set<String> keys() {
    return entries.keySet();
  }

  boolean has(String key) {
    return entries.containsKey(key);
  }

  /** The value under {@code key}, or {@code null} when the key is absent. */
  YamlValue get(String key) {
    return entries.get(key);
  }

  /** The value under {@code key}; when absent, reports that it is required and returns null. */
  YamlValue require(String key, String expected) {
    YamlValue v = entries.get(key);
    if (v == null && !misspelt.contains(key)) {
      self.errors().add(self.where(), self.childPath(key), "required (expected " + expected + ")");
    }
    return v;
  }

  /** An optional duration, {@code fallback} when absent; {@code null} only after an error. */
  Duration duration(String key, boolean allowZero, Duration fallback) {
    YamlValue v = entries.get(key);
    return v == null ? fallback : v.duration(allowZero);
  }

  /** An optional whole number, {@code fallback} when absent; {@code null} only after an error. */
  Integer integer(String key, int min, int max, int fallback) {
    YamlValue v = entries.get(key);
    return v == null ? Integer.valueOf(fallback) : v.integer(min, max);
  }
}
