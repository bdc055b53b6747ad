package dev.ferry.proxy;

import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.ProxyConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one line a reload reports: how many routes, what happened to clusters and listeners, and
 * which changes wait for a restart because they are fixed when the proxy or a listener starts.
 */
final class ReloadSummary {
  private ReloadSummary() {}

  /**
   * What going from {@code old} to {@code next} did.
   *
   * @param clusters what the reload did to the clusters
   * @param listeners what it did to the listeners; {@code next}'s are in its order
   */
  static String of(
      ProxyConfig old,
      ProxyConfig next,
      ClusterRuntime.Changes clusters,
      Listeners.Change listeners) {
    List<String> restart = needRestart(old, next, listeners.match());
    int routes = next.listeners().stream().mapToInt(l -> l.routes().size()).sum();
    int closed = listeners.closing().size();
    return routes
        + " routes; clusters replaced "
        + clusters.replaced()
        + ", removed "
        + clusters.removed()
        + ", kept "
        + clusters.kept()
        + (listeners.opened() + closed == 0
            ? ""
            : "; listeners opened " + listeners.opened() + ", closed " + closed)
        + (restart.isEmpty() ? "" : "; not applied until a restart: " + String.join(", ", restart));
  }

  private static List<String> needRestart(ProxyConfig old, ProxyConfig next, int[] match) {
    List<String> restart = new ArrayList<>();
    if (!Objects.equals(old.admin(), next.admin())) {
      restart.add("admin");
    }
    if (!Objects.equals(old.accessLog(), next.accessLog())) {
      restart.add("access_log");
    }
    for (int i = 0; i < next.listeners().size(); i++) {
      if (match[i] < 0) {
        continue;
      }
      ListenerConfig before = old.listeners().get(match[i]);
      // Certificate files are reloaded on their own; which ones, and the listener's acl and
      // limits, are fixed when it starts.
      if (!ListenerSecurity.same(before, next.listeners().get(i))) {
        restart.add("listeners[" + i + "] tls, acl or limits");
      }
      if (!Objects.equals(before.trace(), next.listeners().get(i).trace())) {
        restart.add("listeners[" + i + "] trace");
      }
    }
    return restart;
  }
}
