package dev.ferry.proxy.acl;

import dev.ferry.proxy.config.CidrRange;
import java.net.InetAddress;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Who may use a listener or a route: a deny list of address ranges (it wins), an allow list (when
 * given, a client must be in it), and certificate subjects (when given, a client must present a
 * verified certificate whose subject matches one). Immutable, shared by all event loops.
 */
public final class AccessRules {
  /** Everyone. */
  public static final AccessRules ALLOW_ALL = new AccessRules(List.of(), List.of(), List.of());

  private final List<CidrRange> allow;
  private final List<CidrRange> deny;
  private final List<Pattern> subjects;

  private AccessRules(List<CidrRange> allow, List<CidrRange> deny, List<Pattern> subjects) {
    this.allow = List.copyOf(allow);
    this.deny = List.copyOf(deny);
    this.subjects = List.copyOf(subjects);
  }

  /**
   * Rules from configuration.
   *
   * @param allow address ranges that may connect; empty for all
   * @param deny address ranges that may not, whatever {@code allow} says
   * @param subjects regexes one of which a client certificate's whole subject must match; empty for
   *     no condition
   * @throws IllegalArgumentException for a range that does not parse
   */
  public static AccessRules of(List<String> allow, List<String> deny, List<Pattern> subjects) {
    if (allow.isEmpty() && deny.isEmpty() && subjects.isEmpty()) {
      return ALLOW_ALL;
    }
    return new AccessRules(
        allow.stream().map(CidrRange::parse).toList(),
        deny.stream().map(CidrRange::parse).toList(),
        subjects);
  }

  /** Whether these rules allow everything, so callers can skip them. */
  public boolean allowsAll() {
    return this == ALLOW_ALL;
  }

  /** Whether the rules look at the client certificate, which is known only after the handshake. */
  public boolean checksSubject() {
    return !subjects.isEmpty();
  }

  /**
   * Why {@code client} (with certificate {@code subject}, or {@code null}) is refused, or {@code
   * null} when it is allowed.
   */
  public String refusal(InetAddress client, String subject) {
    if (client != null) {
      for (CidrRange r : deny) {
        if (r.contains(client)) {
          return "client address "
              + CidrRange.unmapped(client).getHostAddress()
              + " is denied ("
              + r
              + ")";
        }
      }
      if (!allow.isEmpty() && allow.stream().noneMatch(r -> r.contains(client))) {
        return "client address "
            + CidrRange.unmapped(client).getHostAddress()
            + " is not in the allow list";
      }
    }
    if (!subjects.isEmpty()) {
      if (subject == null) {
        return "a client certificate is required";
      }
      if (subjects.stream().noneMatch(p -> p.matcher(subject).matches())) {
        return "client certificate '" + subject + "' is not allowed";
      }
    }
    return null;
  }
}
