package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.ferry.cli.browser.Chromium;
import dev.ferry.cli.browser.GatedGreeter;
import dev.ferry.cli.exit.ExitCodes;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import picocli.CommandLine;

/**
 * gRPC-Web in a real browser through {@code ferry serve --cors}: a page served from another origin
 * than the proxy calls Greeter with {@code fetch()} and hand-framed gRPC-Web, binary and text, so
 * every call is cross-origin and preflighted; a page from an origin not allowed is refused.
 */
@Timeout(120)
class GrpcWebInBrowserTest {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  @RegisterExtension static final Chromium chromium = new Chromium();

  private final CapturedLines out = new CapturedLines();
  private final StringWriter err = new StringWriter();
  private final StopSignal stop = StopSignal.manual();
  private final CountDownLatch sendLast = new CountDownLatch(1);
  private Server greeter;
  private HttpServer allowedPage;
  private HttpServer otherPage;
  private CompletableFuture<Integer> serving;
  private int proxyPort;
  @TempDir Path dir;
  private Path accessLog;

  @BeforeEach
  void start() throws Exception {
    greeter =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new GatedGreeter(sendLast))
            .build()
            .start();
    accessLog = dir.resolve("access.log");
    allowedPage = pageServer();
    otherPage = pageServer();
    CommandLine ferry = Main.commandLine(out.printWriter(), new PrintWriter(err, true));
    ((ServeCommand) ferry.getSubcommands().get("serve").getCommand()).stopSignal = stop;
    serving =
        CompletableFuture.supplyAsync(
            () ->
                ferry.execute(
                    "serve",
                    "--listen",
                    "127.0.0.1:0",
                    "--route",
                    "helloworld.Greeter=127.0.0.1:" + greeter.getPort(),
                    "--cors",
                    origin(allowedPage),
                    "--access-log",
                    accessLog.toString()));
    proxyPort = waitForPort();
    chromium.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() throws Exception {
    sendLast.countDown();
    stop.stop();
    assertThat(serving.get(15, TimeUnit.SECONDS)).as(err.toString()).isEqualTo(ExitCodes.OK);
    greeter.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    allowedPage.stop(0);
    otherPage.stop(0);
  }

  @Test
  void unary_binaryAndText() {
    open(allowedPage);
    for (boolean text : List.of(false, true)) {
      Map<String, Object> r = run("/helloworld.Greeter/SayHello", "browser", text, "{}");
      assertThat(r).containsEntry("status", "0").containsEntry("httpStatus", 200L);
      assertThat(r.get("messages")).isEqualTo(List.of("Hello, browser!"));
    }
  }

  @Test
  void serverStream_reachesThePageMessageByMessage() {
    open(allowedPage);
    script(
        "window.streamed = null; ferry.run('/helloworld.Greeter/SayHelloStreamReply', 's', true)"
            + ".then(r => window.streamed = r)");

    chromium.until("the first message in the page", d -> received().size() == 1);
    // The backend holds its last message until now: the first one came through on its own.
    assertThat(script("return window.streamed")).isNull();
    sendLast.countDown();
    chromium.until("the stream's end in the page", d -> script("return window.streamed") != null);

    @SuppressWarnings("unchecked")
    Map<String, Object> r = (Map<String, Object>) script("return window.streamed");
    assertThat(r.get("messages")).isEqualTo(List.of("first s", "last s"));
    assertThat(r).containsEntry("status", "0");
  }

  @Test
  void errors_reachThePageWithStatusAndMessage() {
    open(allowedPage);
    Map<String, Object> backend = run("/helloworld.Greeter/SayHello", "fail", false, "{}");
    assertThat(backend)
        .containsEntry("status", "5")
        .containsEntry("message", "no greeting for fail");

    // Ferry's own answer, readable by the page since the listener's CORS applies with no route.
    Map<String, Object> noRoute = run("/helloworld.Nowhere/Hi", "x", true, "{}");
    assertThat(noRoute).containsEntry("status", "12");
    assertThat((String) noRoute.get("message")).contains("no route for /helloworld.Nowhere/Hi");
  }

  @Test
  void deadline_endsTheCallWithDeadlineExceeded() {
    open(allowedPage);
    // SayHelloAgain never answers: only the deadline ends it.
    Map<String, Object> r =
        run("/helloworld.Greeter/SayHelloAgain", "late", false, "{'grpc-timeout': '200m'}");
    assertThat(r).containsEntry("status", "4");
    assertThat((String) r.get("message")).contains("deadline");
  }

  @Test
  void pageOfAnotherOrigin_isRefused_andTheAccessLogSaysWhy() throws Exception {
    open(otherPage);
    Map<String, Object> r = run("/helloworld.Greeter/SayHello", "intruder", false, "{}");

    assertThat((String) r.get("error")).startsWith("TypeError");
    // The entry is written when the refused preflight's stream closes, just after its answer.
    await().until(() -> Files.exists(accessLog) && !Files.readString(accessLog).isEmpty());
    assertThat(Files.readString(accessLog))
        .contains("\"OPTIONS /helloworld.Greeter/SayHello HTTP/1.1\"")
        .contains("http=403 reason=cors_refused")
        .contains("origin " + origin(otherPage) + " is not in cors: allow_origins");
  }

  private void open(HttpServer page) {
    chromium.driver().get(origin(page) + "/page.html?proxy=http://127.0.0.1:" + proxyPort);
  }

  /** Runs one call in the page and waits for its result. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> run(String path, String name, boolean text, String headers) {
    return (Map<String, Object>)
        ((JavascriptExecutor) chromium.driver())
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "ferry.run(arguments[0], arguments[1], arguments[2], "
                    + headers
                    + ").then(done);",
                path,
                name,
                text);
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

  /** The test page on a port of its own: each such server is an origin of its own. */
  private static HttpServer pageServer() throws IOException {
    byte[] html;
    try (InputStream in =
        GrpcWebInBrowserTest.class.getResourceAsStream("/browser/grpc-web-page.html")) {
      html = in.readAllBytes();
    }
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext(
        "/page.html",
        exchange -> {
          exchange.getResponseHeaders().set("content-type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(200, html.length);
          try (OutputStream body = exchange.getResponseBody()) {
            body.write(html);
          }
        });
    s.start();
    return s;
  }

  private int waitForPort() throws InterruptedException {
    while (true) {
      Matcher m = LISTENING.matcher(out.nextLine());
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
  }
}
