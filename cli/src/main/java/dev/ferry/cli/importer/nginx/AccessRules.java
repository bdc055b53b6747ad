package dev.ferry.cli.importer.nginx;

import dev.ferry.cli.importer.nginx.YamlTree.Mapping;
import dev.ferry.cli.importer.nginx.YamlTree.Sequence;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps nginx's ordered {@code allow}/{@code deny} rules (the first that matches decides) to ferry's
 * acl (a deny always wins; with an allow list a client must be in it), where the two agree: every
 * deny before every allow, and the list ending in {@code deny all} when it allows.
 */
final class AccessRules {
  private AccessRules() {}

  /** The acl, or {@code null} after reporting the rules ferry cannot say the same way. */
  static Mapping toAcl(List<Directive> rules, ImportReport report) {
    List<String> allow = new ArrayList<>();
    List<String> deny = new ArrayList<>();
    boolean denyAll = false;
    boolean allowAll = false;
    for (Directive d : rules) {
      String a = d.arg(0);
      if (allowAll || denyAll) {
        report.note(d, "never reached: an earlier rule matches every address");
        continue;
      }
      if (a.startsWith("unix:")) {
        report.notConverted(d, "ferry's listeners are TCP only");
        continue;
      }
      boolean isAllow = d.name().equals("allow");
      if (a.equals("all")) {
        allowAll = isAllow;
        denyAll = !isAllow;
      } else if (isAllow) {
        allow.add(range(a));
      } else if (!allow.isEmpty()) {
        // nginx lets an address in an earlier allow through; ferry's deny would win over it.
        report.notConverted(
            d, "a deny after an allow: ferry's deny always wins, so it cannot keep nginx's order");
        return null;
      } else {
        deny.add(range(a));
      }
    }
    Mapping acl = new Mapping();
    if (denyAll && allow.isEmpty()) {
      deny.add("0.0.0.0/0");
      deny.add("::/0");
    }
    if (!deny.isEmpty()) {
      acl.put("deny", sequence(deny));
    }
    if (denyAll && !allow.isEmpty()) {
      acl.put("allow", sequence(allow));
    }
    for (Directive d : rules) {
      report.converted(d);
    }
    if (acl.isEmpty()) {
      return null;
    }
    return acl;
  }

  /** An address as the range of itself alone, as nginx reads one. */
  private static String range(String address) {
    if (address.contains("/")) {
      return address;
    }
    return address + (address.contains(":") ? "/128" : "/32");
  }

  private static Sequence sequence(List<String> items) {
    Sequence s = new Sequence();
    items.forEach(s::add);
    return s;
  }
}
