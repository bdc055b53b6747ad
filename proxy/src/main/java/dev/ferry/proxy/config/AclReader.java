package dev.ferry.proxy.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads {@code acl: { allow: [CIDR..], deny: [CIDR..], client_subjects: [REGEX..] }}. */
final class AclReader {
  private AclReader() {}

  /** The rules, or {@code null} after reporting. */
  static AclConfig read(YamlValue v) {
    YamlMapping m = v.mapping("allow", "deny", "client_subjects");
    if (m == null) {
      return null;
    }
    List<String> allow = m.has("allow") ? ranges(m.get("allow")) : List.of();
    List<String> deny = m.has("deny") ? ranges(m.get("deny")) : List.of();
    List<Pattern> subjects =
        m.has("client_subjects") ? subjects(m.get("client_subjects")) : List.of();
    if (allow == null || deny == null || subjects == null) {
      return null;
    }
    if (allow.isEmpty() && deny.isEmpty() && subjects.isEmpty()) {
      v.error("expected at least one of allow, deny or client_subjects");
      return null;
    }
    return new AclConfig(allow, deny, subjects);
  }

  private static List<String> ranges(YamlValue v) {
    List<YamlValue> items = v.list("address ranges such as 10.0.0.0/8 or '::1/128'");
    if (items == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    boolean ok = true;
    for (YamlValue item : items) {
      CidrRange r = item.parsed("an address range such as 10.0.0.0/8", CidrRange::parse);
      ok &= r != null;
      if (r != null) {
        out.add(r.toString());
      }
    }
    return ok ? List.copyOf(out) : null;
  }

  private static List<Pattern> subjects(YamlValue v) {
    List<YamlValue> items = v.list("regexes such as 'CN=billing,.*'");
    if (items == null) {
      return null;
    }
    List<Pattern> out = new ArrayList<>();
    for (YamlValue item : items) {
      Pattern p = MatchReader.regex(item);
      if (p == null) {
        return null;
      }
      out.add(p);
    }
    return List.copyOf(out);
  }
}
