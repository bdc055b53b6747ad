package dev.ferry.proxy.xds;

import java.time.Duration;

/**
 * How the xDS client behaves beyond what the bootstrap says.
 *
 * @param backoffInitial the wait before the first reconnect after the stream to the control plane
 *     failed
 * @param backoffMax the longest wait between reconnects; each failure multiplies the wait by 1.6
 * @param readyWhen when {@code /ready} says ready
 */
public record XdsOptions(Duration backoffInitial, Duration backoffMax, ReadyWhen readyWhen) {
  /** grpc's xDS client backoff (1s growing to 30s), ready once a configuration is applied. */
  public static final XdsOptions DEFAULTS =
      new XdsOptions(Duration.ofSeconds(1), Duration.ofSeconds(30), ReadyWhen.CONFIGURED);

  /** When a proxy configured by xDS calls itself ready. */
  public enum ReadyWhen {
    /**
     * Once a configuration applied, even while the control plane is away: the last good config
     * keeps serving (Envoy's behaviour).
     */
    CONFIGURED,
    /** Only while the stream to the control plane is up, so a load balancer can steer away. */
    CONNECTED
  }

  /** These options with {@code readyWhen}. */
  public XdsOptions withReadyWhen(ReadyWhen readyWhen) {
    return new XdsOptions(backoffInitial, backoffMax, readyWhen);
  }
}
