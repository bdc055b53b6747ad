package dev.ferry.proxy;

import dev.ferry.proxy.config.AclConfig;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.TlsConfig;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Compares the security settings of a listener across a reload, which does not apply them: its TLS,
 * access rules and limits are set when it starts.
 */
final class ListenerSecurity {
  private ListenerSecurity() {}

  static boolean same(ListenerConfig a, ListenerConfig b) {
    return sameTls(a.tls(), b.tls())
        && sameAcl(a.acl(), b.acl())
        && Objects.equals(a.limits(), b.limits());
  }

  private static boolean sameTls(TlsConfig a, TlsConfig b) {
    if (a == null || b == null) {
      return a == b;
    }
    // A running self-signed listener holds the files it was resolved to: compare what a file says.
    boolean certificates =
        a.selfSigned() || b.selfSigned() || a.certificates().equals(b.certificates());
    return certificates
        && Objects.equals(a.clientCa(), b.clientCa())
        && a.requireClientCert() == b.requireClientCert();
  }

  private static boolean sameAcl(AclConfig a, AclConfig b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.allow().equals(b.allow())
        && a.deny().equals(b.deny())
        && patterns(a.clientSubjects()).equals(patterns(b.clientSubjects()));
  }

  private static List<String> patterns(List<Pattern> ps) {
    return ps.stream().map(Pattern::pattern).toList();
  }
}
