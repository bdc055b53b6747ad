package dev.ferry.proxy.route;

import dev.ferry.proxy.config.HeaderRules;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Map;

/** Applies a route's {@link HeaderRules} to a header block: remove, then set, then add. */
public final class HeaderRewriter {
  private final AsciiString[] remove;
  private final AsciiString[] setNames;
  private final AsciiString[] setValues;
  private final AsciiString[] addNames;
  private final AsciiString[] addValues;

  HeaderRewriter(HeaderRules rules) {
    HeaderRules r = rules == null ? HeaderRules.NONE : rules;
    List<String> rm = r.remove() == null ? List.of() : r.remove();
    remove = rm.stream().map(AsciiString::of).toArray(AsciiString[]::new);
    Map<String, String> set = r.set() == null ? Map.of() : r.set();
    setNames = set.keySet().stream().map(AsciiString::of).toArray(AsciiString[]::new);
    setValues =
        set.keySet().stream().map(k -> AsciiString.of(set.get(k))).toArray(AsciiString[]::new);
    Map<String, String> add = r.add() == null ? Map.of() : r.add();
    addNames = add.keySet().stream().map(AsciiString::of).toArray(AsciiString[]::new);
    addValues =
        add.keySet().stream().map(k -> AsciiString.of(add.get(k))).toArray(AsciiString[]::new);
  }

  /** Whether applying changes nothing, so callers can skip it. */
  public boolean isEmpty() {
    return remove.length == 0 && setNames.length == 0 && addNames.length == 0;
  }

  /** Rewrites {@code headers} in place. */
  public void apply(Http2Headers headers) {
    for (AsciiString name : remove) {
      headers.remove(name);
    }
    for (int i = 0; i < setNames.length; i++) {
      headers.set(setNames[i], setValues[i]);
    }
    for (int i = 0; i < addNames.length; i++) {
      headers.add(addNames[i], addValues[i]);
    }
  }
}
