package dev.ferry.proxy.reload;

import dev.ferry.proxy.config.ProxyConfig;

/** What a reload applies a new configuration to: the running proxy, kept out of this package. */
public interface Reloadable {
  /**
   * Applies {@code next} to new calls and returns a one-line summary of what changed; throws {@link
   * IllegalArgumentException} or {@link IllegalStateException} when it cannot be applied, and then
   * nothing changed.
   */
  String reload(ProxyConfig next);

  /**
   * As {@link #reload}, and listeners {@code next} adds are opened, those it leaves out drained and
   * closed: for sources such as xDS whose listeners come and go. A file reload keeps its listeners.
   */
  default String reloadWithListeners(ProxyConfig next) {
    return reload(next);
  }
}
