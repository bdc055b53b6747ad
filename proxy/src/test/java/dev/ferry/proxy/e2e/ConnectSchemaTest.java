package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.HeaderRules;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.config.RouteMatch;
import dev.ferry.proxy.config.RoutePolicy;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.util.MutableHandlerRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connect's JSON by the schema ferry learns from the cluster's server reflection: a GET of a
 * side-effect-free method, well-known types in their JSON form, a method the cache does not know
 * asked for again, a reload that forgets what the old backends said, and the route's message limit
 * on the body.
 */
class ConnectSchemaTest {
  private static final String FIND = "/" + LookupService.SERVICE + "/Find";
  private static final int MAX_MESSAGE = 1024;

  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  private final MutableHandlerRegistry services = new MutableHandlerRegistry();
  private ServerServiceDefinition lookup = LookupService.define("a", false);
  private int backendPort;
  private ProxyServer proxy;
  private int port;

  @BeforeEach
  void setUp() throws Exception {
    services.addService(lookup);
    backendPort = start(services);
    proxy = fixture.proxy(lookupAt(backendPort));
    port = proxy.boundAddresses().get(0).getPort();
  }

  private int start(MutableHandlerRegistry registry) throws IOException {
    Server s =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .fallbackHandlerRegistry(registry)
            .addService(ProtoReflectionServiceV1.newInstance())
            .build()
            .start();
    fixture.closeLater(() -> s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return s.getPort();
  }

  private static ProxyConfig lookupAt(int port) {
    RouteConfig route =
        new RouteConfig(
            new RouteMatch(LookupService.SERVICE, null, null, null, List.of()),
            "lookup",
            null,
            HeaderRules.NONE,
            HeaderRules.NONE,
            null,
            new RoutePolicy(null, null, MAX_MESSAGE, null));
    return config(List.of(route), ProxyFixture.cluster("lookup", BalancePolicy.ROUND_ROBIN, port));
  }

  private ConnectCurl.Response post(String path, String json) throws Exception {
    try (ConnectCurl c =
        ConnectCurl.post(
            port, path, "application/json", json.getBytes(StandardCharsets.UTF_8), false)) {
      return c.finish();
    }
  }

  @Test
  void get_ofASideEffectFreeMethod_answersInJsonWithWellKnownTypesInTheirForm() throws Exception {
    String message =
        URLEncoder.encode("{\"q\":\"x\",\"at\":\"2024-05-06T07:08:09Z\"}", StandardCharsets.UTF_8);
    try (ConnectCurl c = ConnectCurl.get(port, FIND + "?encoding=json&message=" + message, true)) {
      ConnectCurl.Response r = c.finish();

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("{\"a\":\"found x\",\"at\":\"2024-05-06T07:08:09Z\"}");
    }
  }

  @Test
  void wellKnownTypeInTheWrongForm_isInvalidArgument() throws Exception {
    ConnectCurl.Response r = post(FIND, "{\"q\":\"x\",\"at\":\"yesterday\"}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.text()).contains("invalid_argument", "ferrytest.Query");
  }

  @Test
  void methodTheCacheDoesNotKnow_isAskedForAgain() throws Exception {
    warmEveryLoop();
    String findMore = "/" + LookupService.SERVICE + "/FindMore";
    assertThat(post(findMore, "{\"q\":\"2\"}").status()).isEqualTo(501);

    // The backend is redeployed with the method: the next call asks its reflection again.
    services.removeService(lookup);
    lookup = LookupService.define("a", true);
    services.addService(lookup);

    ConnectCurl.Response r = post(findMore, "{\"q\":\"3\"}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).isEqualTo("{\"a\":\"found 3\"}");
  }

  @Test
  void bodyOverTheRoutesLimit_isResourceExhausted() throws Exception {
    ConnectCurl.Response r = post(FIND, "{\"q\":\"" + "x".repeat(2 * MAX_MESSAGE) + "\"}");

    assertThat(r.status()).isEqualTo(429);
    assertThat(r.headers()).containsEntry("ferry-local-reply", "message_too_large");
    assertThat(r.text()).contains("resource_exhausted", "limit of 1024 bytes");
  }

  /**
   * Each event loop keeps its own cache, and connections are spread over the loops in turn: enough
   * calls, each on a connection of its own, fill every loop's with the first schema.
   */
  private void warmEveryLoop() throws Exception {
    for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors(); i++) {
      assertThat(post(FIND, "{\"q\":\"old\"}").text()).isEqualTo("{\"a\":\"found old\"}");
    }
  }

  @Test
  void reload_forgetsTheSchemasOfTheOldBackends() throws Exception {
    warmEveryLoop();
    MutableHandlerRegistry other = new MutableHandlerRegistry();
    other.addService(LookupService.define("b", false));
    int otherPort = start(other);

    proxy.reload(lookupAt(otherPort));

    // Field 1 is named b now: an answer written by the old schema would say "a".
    assertThat(post(FIND, "{\"q\":\"new\"}").text()).isEqualTo("{\"b\":\"found new\"}");
  }
}
