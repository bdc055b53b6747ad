package dev.ferry.cli.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.cli.browser.Chromium;
import dev.ferry.cli.browser.GatedGreeter;
import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ConfigLoader;
import dev.ferry.testservers.helloworld.HelloWorldProto;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.JavascriptExecutor;

/**
 * connect-web, a real gRPC-Web client library, in headless chromium: a page of another origin than
 * ferry serve (so every call is preflighted) calls Greeter through the gRPC-Web bridge with CORS:
 * unary, a server stream seen message by message, an error with its message, a deadline, and a page
 * of an origin the proxy does not allow.
 */
@Timeout(120)
class ConnectWebInBrowserTest {
  /** The packages the page imports, each mapped by its package.json's exports. */
  private static final List<String> PACKAGES =
      List.of("@connectrpc/connect", "@connectrpc/connect-web", "@bufbuild/protobuf");

  @RegisterExtension static final Chromium chromium = new Chromium();

  private final CountDownLatch sendLast = new CountDownLatch(1);
  @TempDir Path dir;
  private Server greeter;
  private HttpServer allowedPage;
  private HttpServer otherPage;
  private ProxyServer proxy;

  @BeforeEach
  void start() throws Exception {
    Path modules = WebClientLibraries.require();
    Path schema = WebClientLibraries.descriptorSet(dir, HelloWorldProto.getDescriptor());
    greeter =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new GatedGreeter(sendLast))
            // Connect's JSON (connect-web's default form): ferry learns the schema by reflection.
            .addService(ProtoReflectionServiceV1.newInstance())
            .build()
            .start();
    allowedPage = pageServer(modules, schema);
    otherPage = pageServer(modules, schema);
    String yaml =
        """
        listeners:
          - address: 127.0.0.1:0
            cors: { allow_origins: [%s] }
            routes:
              - match: { service: helloworld.Greeter }
                cluster: greeter
        clusters:
          greeter: { endpoints: [127.0.0.1:%d] }
        """
            .formatted(origin(allowedPage), greeter.getPort());
    proxy = ProxyServer.start(ConfigLoader.parse("ferry.yaml", yaml));
    chromium.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() throws Exception {
    // start() stops early, before any of these exist, when the web client libraries are missing.
    sendLast.countDown();
    if (proxy != null) {
      proxy.close();
    }
    if (greeter != null) {
      greeter.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (allowedPage != null) {
      allowedPage.stop(0);
    }
    if (otherPage != null) {
      otherPage.stop(0);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc-web", "connect"})
  void unary_andAnErrorWithItsMessage(String protocol) {
    open(allowedPage, protocol);
    assertThat(call("ferry.unary('browser')")).containsEntry("message", "Hello, browser!");
    assertThat(call("ferry.unary('fail')"))
        .containsEntry("code", "NotFound")
        .containsEntry("message", "no greeting for fail");
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc-web", "connect"})
  void serverStream_reachesThePageMessageByMessage(String protocol) {
    open(allowedPage, protocol);
    script("window.streamed = null; ferry.stream('s').then(r => window.streamed = r)");

    chromium.until("the first message in the page", d -> received().size() == 1);
    // The backend holds its last message until now: the first one came through on its own.
    assertThat(script("return window.streamed")).isNull();
    sendLast.countDown();
    chromium.until("the stream's end in the page", d -> script("return window.streamed") != null);

    assertThat(script("return window.streamed"))
        .isEqualTo(Map.of("messages", List.of("first s", "last s")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc-web", "connect"})
  void deadline_endsTheCallWithDeadlineExceeded(String protocol) {
    open(allowedPage, protocol);
    // SayHelloAgain never answers: only the deadline (grpc-timeout, connect-timeout-ms) ends it.
    assertThat(call("ferry.never('late', 300)")).containsEntry("code", "DeadlineExceeded");
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc-web", "connect"})
  void pageOfAnotherOrigin_cannotReadTheAnswer(String protocol) {
    open(otherPage, protocol);
    assertThat(call("ferry.unary('intruder')")).containsKey("code");
    assertThat((String) call("ferry.unary('intruder')").get("message")).contains("Failed to fetch");
  }

  private void open(HttpServer page, String protocol) {
    chromium
        .driver()
        .get(
            origin(page)
                + "/page.html?protocol="
                + protocol
                + "&proxy=http://127.0.0.1:"
                + proxy.boundAddresses().get(0).getPort());
    chromium.until("the page's module", d -> "ready".equals(d.getTitle()));
  }

  /** Runs {@code promise} (an expression) in the page and waits for its result. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> call(String promise) {
    return (Map<String, Object>)
        ((JavascriptExecutor) chromium.driver())
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1]; " + promise + ".then(done);");
  }

  private List<?> received() {
    return (List<?>) script("return ferry.received");
  }

  private Object script(String js) {
    return ((JavascriptExecutor) chromium.driver()).executeScript(js);
  }

  private static String origin(HttpServer page) {
    return "http://127.0.0.1:" + page.getAddress().getPort();
  }

  /**
   * The page's origin: the page with its import map, the schema, and node_modules' files, as a
   * developer's static server would serve them.
   */
  private static HttpServer pageServer(Path modules, Path schema) throws IOException {
    byte[] html;
    try (InputStream in =
        ConnectWebInBrowserTest.class.getResourceAsStream("/browser/connect-web-page.html")) {
      html =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .replace("IMPORT_MAP", importMap(modules))
              .getBytes(StandardCharsets.UTF_8);
    }
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext("/page.html", e -> send(e, "text/html; charset=utf-8", html));
    s.createContext(
        "/schema.binpb", e -> send(e, "application/octet-stream", Files.readAllBytes(schema)));
    s.createContext(
        "/node_modules/",
        e -> {
          Path file =
              modules
                  .resolve(e.getRequestURI().getPath().substring("/node_modules/".length()))
                  .normalize();
          if (!file.startsWith(modules) || !Files.isRegularFile(file)) {
            send(e, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            return;
          }
          send(e, "text/javascript", Files.readAllBytes(file));
        });
    s.start();
    return s;
  }

  /** {"imports": {...}}: each package's export paths, as its package.json's exports name them. */
  private static String importMap(Path modules) throws IOException {
    Map<String, String> imports = new TreeMap<>();
    for (String pkg : PACKAGES) {
      JsonObject exports =
          new Gson()
              .fromJson(Files.readString(modules.resolve(pkg + "/package.json")), JsonObject.class)
              .getAsJsonObject("exports");
      for (String key : exports.keySet()) {
        if (exports.get(key).isJsonObject() && exports.getAsJsonObject(key).has("import")) {
          String target = exports.getAsJsonObject(key).get("import").getAsString();
          imports.put(pkg + key.substring(1), "/node_modules/" + pkg + "/" + target.substring(2));
        }
      }
    }
    return new Gson().toJson(Map.of("imports", imports));
  }

  private static void send(HttpExchange e, String type, byte[] body) throws IOException {
    send(e, 200, type, body);
  }

  private static void send(HttpExchange e, int status, String type, byte[] body)
      throws IOException {
    e.getResponseHeaders().set("content-type", type);
    e.sendResponseHeaders(status, body.length);
    try (OutputStream out = e.getResponseBody()) {
      out.write(body);
    }
  }
}
