package dev.ferry.bench;

import dev.ferry.proxy.call.ProxyHeaders;
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
 * What the proxy does to each request's headers before they go upstream (hop-by-hop headers
 * dropped, {@code te} ensured, {@code x-forwarded-for} appended, a route's set/add/remove rules),
 * and to each response's. Every run starts from a fresh copy, so {@link #copyOnly} is the floor.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeaderRewriteBenchmark {
  static final String YAML =
      """
      listeners:
        - address: 127.0.0.1:8080
          routes:
            - match: { service: helloworld.Greeter }
              cluster: a
              request_headers: { set: { x-env: canary }, add: { x-via: ferry }, remove: [x-debug] }
              response_headers: { set: { x-served-by: ferry }, remove: [server] }
      clusters:
        a: { endpoints: [127.0.0.1:50051] }
      """;

  Route route;
  Http2Headers request;
  Http2Headers response;

  @Setup
  public void setUp() throws Exception {
    ProxyConfig config = ConfigLoader.parse("bench.yaml", YAML);
    request = RouteMatchBenchmark.request("/helloworld.Greeter/SayHello").add("x-debug", "1");
    route = RouteTable.compile(config.listeners().get(0).routes()).match(request);
    response =
        new DefaultHttp2Headers()
            .status("200")
            .add("content-type", "application/grpc")
            .add("server", "backend")
            .add("grpc-accept-encoding", "gzip");
  }

  @Benchmark
  public Http2Headers copyOnly() {
    return new DefaultHttp2Headers().set(request);
  }

  @Benchmark
  public Http2Headers request() {
    Http2Headers h = new DefaultHttp2Headers().set(request);
    ProxyHeaders.prepareRequest(h, "127.0.0.1", true);
    route.requestRewriter().apply(h);
    return h;
  }

  @Benchmark
  public Http2Headers response() {
    Http2Headers h = new DefaultHttp2Headers().set(response);
    ProxyHeaders.stripHopByHop(h);
    route.responseRewriter().apply(h);
    return h;
  }
}
