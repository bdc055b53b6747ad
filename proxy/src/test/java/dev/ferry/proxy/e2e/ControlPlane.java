package dev.ferry.proxy.e2e;

import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * envoyproxy's java-control-plane serving snapshots over ADS on loopback, recording every request
 * it receives (so tests can read the ACKs and NACKs). It can be stopped and started again on the
 * same port, as a control plane restarting would be.
 */
final class ControlPlane implements AutoCloseable {
  /** Every node in one group: the tests' proxies all take the same snapshot. */
  static final String GROUP = "ferry";

  private final SimpleCache<String> cache = new SimpleCache<>(node -> GROUP);
  private final List<DiscoveryRequest> requests = new CopyOnWriteArrayList<>();
  private Server server;
  private int port;

  static ControlPlane start() throws IOException {
    ControlPlane cp = new ControlPlane();
    cp.startServer(0);
    return cp;
  }

  private void startServer(int port) throws IOException {
    DiscoveryServerCallbacks record =
        new DiscoveryServerCallbacks() {
          @Override
          public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
            requests.add(request);
          }

          @Override
          public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {}
        };
    V3DiscoveryServer xds = new V3DiscoveryServer(record, cache);
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
            .withOption(ChannelOption.SO_REUSEADDR, true)
            .addService(xds.getAggregatedDiscoveryServiceImpl())
            .build()
            .start();
    this.port = server.getPort();
  }

  /** {@code host:port}, as a bootstrap's server_uri. */
  String target() {
    return "127.0.0.1:" + port;
  }

  /** The bootstrap JSON of a proxy that asks this control plane, as node {@code id}. */
  String bootstrap(String id) {
    return """
        {
          "xds_servers": [{
            "server_uri": "%s",
            "channel_creds": [{"type": "insecure"}],
            "server_features": ["xds_v3"]
          }],
          "node": {"id": "%s", "cluster": "ferry-test", "locality": {"zone": "lab"}}
        }
        """
        .formatted(target(), id);
  }

  void set(Snapshot snapshot) {
    cache.setSnapshot(GROUP, snapshot);
  }

  /** Every request received so far. */
  List<DiscoveryRequest> requests() {
    return List.copyOf(requests);
  }

  /** Stops serving: streams end with UNAVAILABLE. */
  void stop() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Serves again on the same port, with the snapshots held. */
  void restart() throws IOException {
    startServer(port);
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
