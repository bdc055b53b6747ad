package dev.ferry.cli.browser;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven through its chromedriver: one browser per test class, with a
 * fresh profile. Both programs are found on the PATH; outside CI a missing one skips the class, and
 * under {@code CI=true} it fails it, since .ci/run installs them.
 */
public final class Chromium implements BeforeAllCallback, AfterAllCallback {
  /** How long a page condition may take: the dashboard redraws every 2 s. */
  private static final Duration WAIT = Duration.ofSeconds(30);

  /**
   * Selenium looks for DevTools bindings of this chromium's exact version and warns when it has
   * none; the one DevTools command used here (a screenshot) needs none. Held so it stays quiet.
   */
  private static final Logger CDP_VERSION_FINDER =
      Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

  private ChromeDriver driver;
  private Path profile;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    Path browser = onPath("chromium");
    Path chromedriver = onPath("chromedriver");
    if (browser == null || chromedriver == null) {
      String missing =
          (browser == null ? "chromium " : "")
              + (chromedriver == null ? "chromedriver " : "")
              + "not on the PATH (apt-get install chromium chromium-driver)";
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException(missing + "; .ci/run should have installed them");
      }
      Assumptions.abort(missing);
    }
    CDP_VERSION_FINDER.setLevel(Level.OFF);
    profile = Files.createTempDirectory("ferry-chromium");
    ChromeOptions options =
        new ChromeOptions()
            .setBinary(browser.toFile())
            .addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--window-size=1280,900",
                "--user-data-dir=" + profile);
    // The driver named here, so Selenium never looks for (or downloads) one of its own.
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver.toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (driver != null) {
      driver.quit();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  public WebDriver driver() {
    return driver;
  }

  /** Waits until {@code condition} holds on the page (is neither null nor false). */
  public <T> T until(String what, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT).withMessage(what).until(condition);
  }

  /** The text of the first element {@code css} selects, or "" when there is none yet. */
  String text(String css) {
    List<String> all = texts(css);
    return all.isEmpty() ? "" : all.get(0);
  }

  /**
   * The text of every element {@code css} selects, as shown (innerText, runs of white space made
   * one space). Read in one script, since the dashboard redraws itself and an element found by one
   * command may be gone by the next.
   */
  List<String> texts(String css) {
    return strings(
        "return [...document.querySelectorAll(arguments[0])]"
            + ".map(e => (e.innerText ?? e.textContent).replace(/\\s+/g, ' ').trim())",
        css);
  }

  /** The value of attribute {@code name} of every element {@code css} selects. */
  List<String> attributes(String css, String name) {
    return strings(
        "return [...document.querySelectorAll(arguments[0])].map(e => e.getAttribute(arguments[1]))",
        css,
        name);
  }

  private List<String> strings(String script, Object... args) {
    List<?> values = (List<?>) ((JavascriptExecutor) driver).executeScript(script, args);
    return values.stream().map(String::valueOf).toList();
  }

  /**
   * Saves the whole page as {@code name} in the directory named by {@code -Dferry.screenshots}
   * (docs/img to refresh the README's pictures), else in target/screenshots.
   */
  Path screenshot(String name) throws IOException {
    Object size =
        ((JavascriptExecutor) driver)
            .executeScript(
                "return [document.documentElement.scrollWidth,"
                    + " document.documentElement.scrollHeight]");
    List<?> wh = (List<?>) size;
    // Through DevTools: a window cannot grow past the headless screen, a capture can.
    Map<String, Object> shot =
        driver.executeCdpCommand(
            "Page.captureScreenshot",
            Map.of(
                "format",
                "png",
                "captureBeyondViewport",
                true,
                "clip",
                Map.of("x", 0, "y", 0, "width", wh.get(0), "height", wh.get(1), "scale", 1)));
    Path dir = Path.of(System.getProperty("ferry.screenshots", "target/screenshots"));
    Files.createDirectories(dir);
    Path file = dir.resolve(name);
    Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
    return file;
  }

  private static Path onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
