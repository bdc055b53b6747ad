package dev.ferry.bench;

import dev.ferry.proxy.config.ConfigLoader;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.route.Route;
import dev.ferry.proxy.route.RouteTable;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long a request takes to find its route in a table of ten, by service, method, header and
 * prefix: the first, the last, and no match at all.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouteMatchBenchmark {
  static final String YAML =
      """
      listeners:
        - address: 127.0.0.1:8080
          routes:
            - match: { service: helloworld.Greeter }
              cluster: a
            - match: { method: helloworld.Daininki/Vote, headers: [{ name: x-env, exact: canary }] }
              cluster: b
            - match: { service: svc.One }
              cluster: a
            - match: { service: svc.Two }
              cluster: a
            - match: { service: svc.Three }
              cluster: a
            - match: { service: svc.Four }
              cluster: a
            - match: { authority: api.example.com, prefix: /v1/ }
              cluster: b
            - match: { service: svc.Five }
              cluster: a
            - match: { service: helloworld.Daininki }
              cluster: b
            - match: { prefix: /static/ }
              cluster: b
      clusters:
        a: { endpoints: [127.0.0.1:50051] }
        b: { endpoints: [127.0.0.1:50052, 127.0.0.1:50053] }
      """;

  RouteTable table;
  Http2Headers first;
  Http2Headers last;
  Http2Headers none;

  @Setup
  public void setUp() throws Exception {
    ProxyConfig config = ConfigLoader.parse("bench.yaml", YAML);
    table = RouteTable.compile(config.listeners().get(0).routes());
    first = request("/helloworld.Greeter/SayHello");
    last = request("/static/logo.png");
    none = request("/nothing.Here/At");
  }

  static Http2Headers request(String path) {
    return new DefaultHttp2Headers()
        .method("POST")
        .scheme("http")
        .path(path)
        .authority("127.0.0.1:8080")
        .add("content-type", "application/grpc")
        .add("te", "trailers")
        .add("user-agent", "grpc-java-netty/1.85.1")
        .add("grpc-timeout", "1S");
  }

  @Benchmark
  public Route firstRoute() {
    return table.match(first);
  }

  @Benchmark
  public Route lastRoute() {
    return table.match(last);
  }

  @Benchmark
  public Route noRoute() {
    return table.match(none);
  }
}
