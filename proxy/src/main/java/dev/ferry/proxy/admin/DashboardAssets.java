package dev.ferry.proxy.admin;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard's page, script and style, shipped in the jar beside this class and read once: plain
 * files, so the page needs no network and no build step.
 */
final class DashboardAssets {
  private static final Map<String, String> TYPES =
      Map.of(
          "dashboard.html", "text/html; charset=utf-8",
          "dashboard.js", "text/javascript; charset=utf-8",
          "dashboard.css", "text/css; charset=utf-8");
  private static final Map<String, byte[]> FILES = load();

  private DashboardAssets() {}

  private static Map<String, byte[]> load() {
    Map<String, byte[]> files = new java.util.HashMap<>();
    for (String name : TYPES.keySet()) {
      try (InputStream in = DashboardAssets.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException("the jar lacks " + name + " beside DashboardAssets");
        }
        files.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Map.copyOf(files);
  }

  static void send(HttpExchange ex, String name) throws IOException {
    // The page builds itself from data only through textContent; this keeps any other script out.
    ex.getResponseHeaders()
        .set(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'");
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    AdminServer.send(ex, 200, TYPES.get(name), FILES.get(name));
  }
}
