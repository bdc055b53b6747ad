package dev.ferry.proxy.xds;

import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.reload.Reloadable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Hands the complete configurations the xDS client assembles to the proxy: the first to whoever
 * waits to start the proxy with it, each later one to {@link Reloadable#reloadWithListeners} once
 * the proxy follows. Used on the client's thread, except {@link #awaitFirst} and {@link
 * #appliedAt}.
 */
final class ConfigHandoff {
  private final Clock clock;
  private final CompletableFuture<ProxyConfig> first = new CompletableFuture<>();
  private volatile Instant appliedAt;
  private Reloadable target;
  private ProxyConfig latest;

  ConfigHandoff(Clock clock) {
    this.clock = clock;
  }

  /** Waits for the first configuration. */
  ProxyConfig awaitFirst(Duration timeout) throws InterruptedException, TimeoutException {
    try {
      return first.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    }
  }

  /**
   * From now on configurations go to {@code target}: the proxy started with the first. One that
   * came in between is applied at once.
   *
   * @return as {@link #apply}
   */
  String follow(Reloadable target) {
    this.target = target;
    ProxyConfig handedOut = first.getNow(null);
    if (latest != null && latest != handedOut) {
      return handOn(latest);
    }
    return null;
  }

  /**
   * Hands {@code config} on, unless it is the one handed on last.
   *
   * @return the proxy's one-line summary of the reload, or {@code null} when nothing was reloaded
   * @throws IllegalArgumentException as {@link Reloadable#reloadWithListeners} does when the proxy
   *     cannot take {@code config}; nothing changed then
   */
  String apply(ProxyConfig config) {
    return config.equals(latest) ? null : handOn(config);
  }

  private String handOn(ProxyConfig config) {
    String summary = null;
    if (target == null) {
      first.complete(config);
    } else {
      summary = target.reloadWithListeners(config);
    }
    latest = config;
    appliedAt = clock.instant();
    return summary;
  }

  /** When a configuration was last handed on, or {@code null} before the first. */
  Instant appliedAt() {
    return appliedAt;
  }
}
