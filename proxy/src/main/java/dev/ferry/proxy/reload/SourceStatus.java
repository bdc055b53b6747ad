package dev.ferry.proxy.reload;

import java.util.List;

/**
 * A configuration source at one moment: for {@code /config} and {@code /ready}.
 *
 * @param kind {@code static} or {@code xds}
 * @param state a few words on the source's connection, such as {@code connected to 127.0.0.1:18000}
 *     or {@code reconnecting in 2s: UNAVAILABLE: io exception}
 * @param notReady why the proxy should not be called ready because of this source, or {@code null}
 *     when it may
 * @param resources every resource the source gave, with its version and last update
 */
public record SourceStatus(
    String kind, String state, String notReady, List<ResourceVersion> resources) {
  public SourceStatus {
    resources = List.copyOf(resources);
  }
}
