package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.browser.Chromium;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import picocli.CommandLine;

/**
 * {@code ferry demo}'s page in a real browser, clicked through as a person would: loaded from its
 * own origin, it calls the demo's proxy with gRPC-Web, so every call is cross-origin and
 * preflighted. One demo for the class; a fresh page for each test.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoPageInBrowserTest {
  private static final Pattern PAGE = Pattern.compile("open (http://\\S+\\?proxy=(\\S+)) in a");

  @RegisterExtension static final Chromium chromium = new Chromium();

  private final CapturedLines out = new CapturedLines();
  private final StringWriter err = new StringWriter();
  private final StopSignal stop = StopSignal.manual();
  private CompletableFuture<Integer> running;
  private String page;
  private String proxy;

  @BeforeAll
  void startDemo() throws Exception {
    String[] args = {
      "demo",
      "--proxy-port",
      "0",
      "--greeter-port",
      "0",
      "--daininki-port",
      "0,0",
      "--rest-port",
      "0",
      "--admin-port",
      "0",
      "--page-port",
      "0"
    };
    CommandLine ferry = Main.commandLine(out.printWriter(), new PrintWriter(err, true));
    DemoCommand demo = ferry.parseArgs(args).subcommand().commandSpec().commandLine().getCommand();
    demo.stopSignal = stop;
    running = CompletableFuture.supplyAsync(() -> ferry.execute(args));
    String line = lineContaining("?proxy=");
    Matcher printed = PAGE.matcher(line);
    assertThat(printed.find()).as(line).isTrue();
    page = printed.group(1);
    proxy = printed.group(2);
  }

  @AfterAll
  void stopDemo() throws Exception {
    stop.stop();
    assertThat(running.get(30, TimeUnit.SECONDS)).as(err.toString()).isZero();
  }

  @BeforeEach
  void openThePage() {
    chromium.driver().get(page);
    chromium.until("the page's script", d -> !text("#proxy").isEmpty());
  }

  @Test
  void sayHello_showsTheGreeting() {
    type("#name", "browser");
    click("#say-hello");

    chromium.until("the greeting", d -> text("#greeting").equals("Hello, browser!"));
  }

  @Test
  void stream_showsEachReplyAsItArrives() {
    // Records what the page shows after each change, and when: the test cannot look as often.
    script(
        "window.seen = [];"
            + "new MutationObserver(() => seen.push({replies: document.querySelectorAll('#replies"
            + " li').length, status: document.getElementById('stream-status').textContent, at:"
            + " performance.now()})).observe(document.body, {childList: true, subtree: true,"
            + " characterData: true});");
    click("#stream");

    chromium.until("the stream's end", d -> text("#stream-status").startsWith("done"));
    assertThat(texts("#replies li"))
        .containsExactly(
            "Hello, you! (1/5)",
            "Hello, you! (2/5)",
            "Hello, you! (3/5)",
            "Hello, you! (4/5)",
            "Hello, you! (5/5)");
    assertThat(text("#stream-status")).isEqualTo("done: 5 replies");
    // The first reply was on the page on its own while the stream went on, and the replies came
    // spread over the 2 s the greeter takes to send them (500 ms apart), not all at its end.
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> seen = (List<Map<String, Object>>) script("return seen");
    assertThat(seen)
        .anyMatch(s -> s.get("replies").equals(1L) && s.get("status").equals("streaming…"));
    assertThat(firstShowing(seen, 5) - firstShowing(seen, 1)).isGreaterThanOrEqualTo(1000);
  }

  /** When the page first showed {@code replies} replies, in ms. */
  private static double firstShowing(List<Map<String, Object>> seen, long replies) {
    return seen.stream()
        .filter(s -> s.get("replies").equals(replies))
        .map(s -> ((Number) s.get("at")).doubleValue())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void twoVotes_areServedByTheTwoInstances() {
    click("#vote");
    chromium.until("the first vote", d -> texts("#votes li").size() == 1);
    click("#vote");
    chromium.until("the second vote", d -> texts("#votes li").size() == 2);

    List<String> servedBy =
        texts("#votes li").stream().map(v -> v.replaceFirst(".*, served by ", "")).toList();
    assertThat(texts("#votes li")).allMatch(v -> v.matches("ferry: \\d+ votes?, served by .+"));
    assertThat(servedBy.get(0)).startsWith("daininki@").isNotEqualTo(servedBy.get(1));
  }

  @Test
  void failedVote_showsItsStatusNameAndMessage() {
    type("#candidate", "");
    click("#vote");

    chromium.until("the failure", d -> !texts("#votes li.error").isEmpty());
    assertThat(texts("#votes li.error"))
        .containsExactly("INVALID_ARGUMENT: candidate: is empty (expected: a name)");
  }

  @Test
  void proxyAllowsThePagesOriginOnly() throws Exception {
    String pageOrigin = page.substring(0, page.indexOf("/?"));

    // Another origin than the proxy's: the browser preflights every call the page makes.
    assertThat(pageOrigin).isNotEqualTo(proxy);
    assertThat(preflight(pageOrigin).statusCode()).isEqualTo(204);
    assertThat(preflight(pageOrigin).headers().firstValue("access-control-allow-origin"))
        .contains(pageOrigin);
    assertThat(preflight("http://127.0.0.1:1").statusCode()).isEqualTo(403);
  }

  private HttpResponse<String> preflight(String origin) throws Exception {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(
            HttpRequest.newBuilder(URI.create(proxy + "/helloworld.Greeter/SayHello"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("origin", origin)
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "content-type,x-grpc-web")
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private String lineContaining(String part) throws InterruptedException {
    for (String line = out.nextLine(); ; line = out.nextLine()) {
      if (line.contains(part)) {
        return line;
      }
    }
  }

  private void type(String css, String text) {
    WebElement input = chromium.driver().findElement(By.cssSelector(css));
    input.clear();
    input.sendKeys(text);
  }

  private void click(String css) {
    chromium.driver().findElement(By.cssSelector(css)).click();
  }

  private String text(String css) {
    return chromium.driver().findElement(By.cssSelector(css)).getText();
  }

  private List<String> texts(String css) {
    return chromium.driver().findElements(By.cssSelector(css)).stream()
        .map(WebElement::getText)
        .toList();
  }

  private Object script(String js) {
    return ((JavascriptExecutor) chromium.driver()).executeScript(js);
  }
}
