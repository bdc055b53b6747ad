package dev.ferry.cli.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Serves the demo's page, which calls Greeter and Daininki with gRPC-Web. It has a port of its own
 * so that the page's origin is not the proxy's: every call it makes is cross-origin, and the
 * browser's CORS preflight goes through ferry as it would for a real web app.
 */
public final class DemoPageServer implements AutoCloseable {
  /** Request path to file beside this class; the page needs nothing else, no CDN, no build step. */
  private static final Map<String, String> PATHS =
      Map.of(
          "/", "index.html",
          "/demo.css", "demo.css",
          "/demo.js", "demo.js",
          "/grpc-web.js", "grpc-web.js",
          "/protobuf.js", "protobuf.js");

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "js", "text/javascript; charset=utf-8");

  // The page writes what the servers answer through textContent only; this keeps any other script
  // out. It may call any proxy: the one to call comes from the page's ?proxy= parameter.
  private static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; connect-src http: https:; img-src 'self' data:";

  private final HttpServer server;
  private final Map<String, byte[]> files;

  private DemoPageServer(HttpServer server, Map<String, byte[]> files) {
    this.server = server;
    this.files = files;
  }

  /** Binds {@code host:port} (port 0 picks a free one) and starts serving. */
  public static DemoPageServer start(String host, int port) throws IOException {
    Map<String, byte[]> files = load();
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (BindException e) {
      throw new BindException(NetUtil.toSocketAddressString(host, port) + " is already in use");
    }
    DemoPageServer page = new DemoPageServer(server, files);
    server.createContext("/", page::handle);
    server.start();
    return page;
  }

  /** The page's origin, such as {@code http://127.0.0.1:8081}: what the proxy's CORS must allow. */
  public String origin() {
    InetSocketAddress a = server.getAddress();
    return "http://" + NetUtil.toSocketAddressString(a.getHostString(), a.getPort());
  }

  /** The page's address, calling the proxy at {@code proxyOrigin}. */
  public String url(String proxyOrigin) {
    return origin() + "/?proxy=" + proxyOrigin;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String name = PATHS.get(exchange.getRequestURI().getPath());
      String method = exchange.getRequestMethod();
      if (name == null) {
        sendText(exchange, 404, "not found: the demo page is at /");
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        sendText(exchange, 405, method + " not allowed: the demo page is read-only");
      } else {
        byte[] body = files.get(name);
        exchange.getResponseHeaders().set("Content-Type", TYPES.get(extension(name)));
        exchange.getResponseHeaders().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        // A newer ferry on the same port must not meet an older page in the browser's cache.
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        boolean head = method.equals("HEAD");
        exchange.sendResponseHeaders(200, head ? -1 : body.length);
        if (!head) {
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
      }
    }
  }

  private static void sendText(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String extension(String name) {
    return name.substring(name.lastIndexOf('.') + 1);
  }

  private static Map<String, byte[]> load() {
    Map<String, byte[]> files = new HashMap<>();
    for (String name : PATHS.values()) {
      try (InputStream in = DemoPageServer.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException("the jar lacks " + name + " beside DemoPageServer");
        }
        files.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Map.copyOf(files);
  }

  /** Stops at once: the page's files are small, nothing is worth waiting for. */
  @Override
  public void close() {
    server.stop(0);
  }
}
