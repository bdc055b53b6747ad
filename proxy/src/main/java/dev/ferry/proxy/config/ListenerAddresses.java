package dev.ferry.proxy.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The listener addresses seen so far, to refuse two listeners that could not both bind: the same
 * address twice, or a wildcard ({@code 0.0.0.0}, {@code ::}) and anything else on the same port.
 */
final class ListenerAddresses {
  private final List<HostPort> seen = new ArrayList<>();

  /** Records {@code address}; returns why it clashes with an earlier one, or {@code null}. */
  String add(HostPort address) {
    // Port 0 picks a free port per listener, so it never clashes.
    if (address.port() != 0) {
      for (HostPort earlier : seen) {
        if (earlier.port() != address.port()) {
          continue;
        }
        if (earlier.equals(address)) {
          return "listener address " + address + " is given twice";
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
