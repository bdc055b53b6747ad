package dev.ferry.proxy.config;

import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.ClusterConfig.Protocol;
import java.time.Duration;

/** The values ferry uses for what a configuration leaves out, in one place for the docs. */
public final class ConfigDefaults {
  /** A connect that takes longer is a failure, and the call may go to another endpoint. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * One more endpoint is tried when a call failed before any byte reached a backend: with two
   * endpoints a single dead one never fails a call, and a dead cluster fails fast.
   */
  public static final int CONNECT_RETRIES = 1;

  /** How often host names are resolved again. */
  public static final Duration DNS_REFRESH = Duration.ofSeconds(30);

  /**
   * A client connection with no open stream is closed after an hour (Envoy's default): long enough
   * for keep-alive clients, short enough to shed abandoned connections. Streams themselves are
   * never cut by it.
   */
  public static final Duration IDLE_TIMEOUT = Duration.ofHours(1);

  /** How long in-flight calls may run on after SIGTERM or Ctrl-C. */
  public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

  public static final BalancePolicy BALANCE = BalancePolicy.ROUND_ROBIN;

  public static final Protocol PROTOCOL = Protocol.H2;

  /** The listener of the flag form when no {@code --listen} is given: loopback only. */
  public static final String FLAG_LISTEN = "127.0.0.1:8080";

  /** Time between two health checks of one endpoint. */
  public static final Duration HEALTH_INTERVAL = Duration.ofSeconds(5);

  /** A health check that takes longer has failed. */
  public static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(1);

  private ConfigDefaults() {}
}
