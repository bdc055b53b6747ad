package dev.ferry.proxy.upstream;

import dev.ferry.proxy.config.Endpoint;
import dev.ferry.proxy.health.EndpointHealth;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/**
 * The current address of one configured endpoint, shared by all event loops and refreshed off the
 * loops by DNS (a Unix socket's never changes); connections read it when they open.
 */
public final class EndpointAddress {
  /** Looks a host name up; {@code InetAddress::getByName} outside tests. */
  interface HostLookup {
    InetAddress lookup(String host) throws UnknownHostException;
  }

  private final Endpoint endpoint;
  private final HostLookup dns;
  private final EndpointHealth health = new EndpointHealth();
  private volatile SocketAddress address;
  private volatile String failure;

  EndpointAddress(Endpoint endpoint, HostLookup dns) {
    this.endpoint = endpoint;
    this.dns = dns;
    if (endpoint.socket() != null) {
      address = new DomainSocketAddress(endpoint.socket().toString());
    }
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  /** What health checks and outlier detection concluded about this endpoint. */
  public EndpointHealth health() {
    return health;
  }

  /**
   * The last address resolved, a {@link DomainSocketAddress} for a Unix socket, or {@code null}
   * when the name never resolved.
   */
  SocketAddress address() {
    return address;
  }

  /** Why resolution failed, or {@code null}. */
  String failure() {
    return failure;
  }

  /** Resolves the host name now; blocking, so never on an event loop. */
  void resolve() {
    if (endpoint.socket() != null) {
      return;
    }
    try {
      InetAddress a = dns.lookup(endpoint.host());
      InetSocketAddress next = new InetSocketAddress(a, endpoint.port());
      if (!next.equals(address)) {
        address = next;
      }
      failure = null;
    } catch (UnknownHostException e) {
      // Keep the last good address: a DNS hiccup must not take a healthy endpoint away.
      failure = "cannot resolve " + endpoint.host();
    }
  }
}
