package dev.ferry.proxy.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The listener addresses seen so far, to refuse two listeners that could not both bind: the same
 * address twice, however written ({@code localhost:8080} and {@code 127.0.0.1:8080}), or a wildcard
 * ({@code 0.0.0.0}, {@code ::}) and anything else on the same port; or one socket file twice.
 */
final class ListenerAddresses {
  private final List<HostPort> seen = new ArrayList<>();
  private final Set<Path> sockets = new HashSet<>();
  private final Function<String, InetAddress> resolver;

  /** Resolves host names as the listener will when it binds (the first address). */
  ListenerAddresses() {
    this(
        host -> {
          try {
            return InetAddress.getByName(host);
          } catch (UnknownHostException e) {
            return null; // the bind reports it; two names that do not resolve do not clash here
          }
        });
  }

  ListenerAddresses(Function<String, InetAddress> resolver) {
    this.resolver = resolver;
  }

  /** Records {@code address}; returns why it clashes with an earlier one, or {@code null}. */
  String add(ListenAddress address) {
    if (address.socket() == null) {
      return add(address.tcp());
    }
    // unix:run/x.sock and unix:/cwd/run/x.sock are one file.
    Path file = address.socket().toAbsolutePath().normalize();
    return sockets.add(file) ? null : "listener address " + address + " is given twice";
  }

  private String add(HostPort address) {
    // Port 0 picks a free port per listener, so it never clashes.
    if (address.port() != 0) {
      for (HostPort earlier : seen) {
        if (earlier.port() != address.port()) {
          continue;
        }
        if (earlier.equals(address)) {
          return "listener address " + address + " is given twice";
        }
        InetAddress a = resolver.apply(address.host());
        if (a != null && a.equals(resolver.apply(earlier.host()))) {
          return "listener address "
              + address
              + " is the same socket as "
              + earlier
              + " (both are "
              + a.getHostAddress()
              + ")";
        }
        if (earlier.isWildcard() || address.isWildcard()) {
          return "listener address "
              + address
              + " overlaps "
              + earlier
              + " (same port, and one of"
              + " them listens on every interface)";
        }
      }
    }
    seen.add(address);
    return null;
  }
}
