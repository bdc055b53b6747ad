package dev.ferry.proxy.config;

/**
 * One upstream address as configured.
 *
 * @param host a host name or an IP literal (IPv6 without brackets)
 * @param port the port
 * @param weight the endpoint's share under weighted round robin; 1 otherwise
 */
public record Endpoint(String host, int port, int weight) {
  @Override
  public String toString() {
    return new HostPort(host, port).toString();
  }
}
