package dev.ferry.proxy.xds;

import com.google.protobuf.Any;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The resources accepted from the control plane, translated, by type and name: immutable, so that a
 * response is tried on a copy and kept only when it applied.
 */
final class XdsState {
  static final XdsState EMPTY = new XdsState(new EnumMap<>(ResourceType.class));

  /**
   * One accepted resource.
   *
   * @param raw the resource as received, to tell an unchanged one from a changed one
   * @param value its translation
   * @param version the version of the response that last changed it
   * @param updated when that response came
   */
  record Accepted(Any raw, Object value, String version, Instant updated) {}

  private final Map<ResourceType, Map<String, Accepted>> byType;

  private XdsState(Map<ResourceType, Map<String, Accepted>> byType) {
    this.byType = byType;
  }

  /** The accepted resources of {@code type} by name, in the order received. */
  Map<String, Accepted> of(ResourceType type) {
    return byType.getOrDefault(type, Map.of());
  }

  /** Whether a response of {@code type} was accepted yet. */
  boolean has(ResourceType type) {
    return byType.containsKey(type);
  }

  /**
   * This state keeping of {@code type} only the resources named {@code names}: routes and endpoints
   * no listener or cluster refers to any more are forgotten, and leave {@code /config}.
   */
  XdsState retain(ResourceType type, java.util.Set<String> names) {
    Map<String, Accepted> next = new LinkedHashMap<>(of(type));
    if (!next.keySet().retainAll(names)) {
      return this;
    }
    Map<ResourceType, Map<String, Accepted>> all = new EnumMap<>(byType);
    all.put(type, java.util.Collections.unmodifiableMap(next));
    return new XdsState(all);
  }

  /**
   * This state with a response of {@code type}: for listeners and clusters the response is the
   * whole set; for routes and endpoints it replaces the resources it names. A resource whose bytes
   * did not change keeps its version and time.
   */
  XdsState with(ResourceType type, Map<String, Accepted> response) {
    Map<String, Accepted> old = of(type);
    Map<String, Accepted> next = new LinkedHashMap<>(type.wildcard ? Map.of() : old);
    for (Map.Entry<String, Accepted> e : response.entrySet()) {
      Accepted before = old.get(e.getKey());
      boolean same = before != null && before.raw().equals(e.getValue().raw());
      next.put(e.getKey(), same ? before : e.getValue());
    }
    Map<ResourceType, Map<String, Accepted>> all = new EnumMap<>(byType);
    all.put(type, java.util.Collections.unmodifiableMap(next));
    return new XdsState(all);
  }
}
