package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.config.ConfigLoader;
import dev.ferry.proxy.config.ProxyConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServeSummaryTest {
  @Test
  void summary_showsListenersRoutesClustersAndEndpoints() throws Exception {
    ProxyConfig config =
        ConfigLoader.parse(
            "ferry.yaml",
            """
            listeners:
              - address: 127.0.0.1:0
                routes:
                  - { match: { service: helloworld.Greeter }, cluster: greeter }
                  - { match: { service: helloworld.Daininki }, cluster: daininki, timeout: { max: 30s } }
                  - { match: { method: helloworld.Greeter/SayHello, authority: api.local }, direct_reply: { grpc_status: 12, message: gone } }
                  - { match: { prefix: /, headers: [ { name: x-env, exact: canary } ] }, cluster: rest }
            clusters:
              greeter:  { endpoints: [127.0.0.1:50051] }
              daininki: { endpoints: [ { address: 127.0.0.1:50052, weight: 3 }, 127.0.0.1:50053 ], balance: weighted_round_robin }
              rest:     { endpoints: [127.0.0.1:8000], protocol: http1, balance: { ring_hash: { header: x-user-id } } }
            access_log: { path: "-" }
            """);
    StringWriter out = new StringWriter();
    ServeSummary.print(
        "ferry.yaml",
        config,
        List.of(new InetSocketAddress("127.0.0.1", 41234)),
        new PrintWriter(out, true));
    assertThat(out.toString())
        .isEqualTo(
            """
            ferry serve: ferry.yaml
            listening on 127.0.0.1:41234
              service helloworld.Greeter                          -> greeter  (h2, round_robin): 127.0.0.1:50051
              service helloworld.Daininki                         -> daininki (h2, weighted_round_robin): 127.0.0.1:50052 (weight 3), 127.0.0.1:50053; deadline cap 30s
              method helloworld.Greeter/SayHello + host api.local -> direct reply: grpc-status 12 UNIMPLEMENTED, http 501 "gone"
              prefix / + header x-env=canary                      -> rest     (http1, ring_hash on x-user-id): 127.0.0.1:8000
            access log: - (text)
            reload: when ferry.yaml changes, or on SIGHUP
            ready; Ctrl-C to stop
            """);
  }
}
