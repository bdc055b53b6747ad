package dev.ferry.testservers;

import com.google.common.net.HostAndPort;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small HTTP/1.1 REST endpoint, the "everything else" of the nginx article's setup: {@code GET}
 * answers a JSON document naming the path, {@code POST} and {@code PUT} echo the body back.
 */
public final class ExampleRestServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final String id;

  private ExampleRestServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
    this.id = "rest@" + server.getAddress().getPort();
  }

  /** Binds {@code host:port} (port 0 picks a free one) and starts serving. */
  public static ExampleRestServer start(String host, int port) throws IOException {
    InetSocketAddress address = new InetSocketAddress(host, port);
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (BindException e) {
      throw new BindException(HostAndPort.fromParts(host, port) + " is already in use");
    }
    ExecutorService executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    ExampleRestServer rest = new ExampleRestServer(server, executor);
    server.createContext("/", rest::handle);
    server.start();
    return rest;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] requestBody;
      try (InputStream in = exchange.getRequestBody()) {
        requestBody = in.readAllBytes();
      }
      String method = exchange.getRequestMethod();
      byte[] body;
      String contentType;
      if (method.equals("POST") || method.equals("PUT")) {
        body = requestBody;
        String sent = exchange.getRequestHeaders().getFirst("Content-Type");
        contentType = sent != null ? sent : "application/octet-stream";
      } else {
        body =
            ("{\"served_by\":\""
                    + id
                    + "\",\"method\":\""
                    + method
                    + "\",\"path\":\""
                    + jsonEscape(exchange.getRequestURI().toString())
                    + "\"}\n")
                .getBytes(StandardCharsets.UTF_8);
        contentType = "application/json";
      }
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.getResponseHeaders().set("X-Served-By", id);
      boolean head = method.equals("HEAD");
      exchange.sendResponseHeaders(200, head ? -1 : body.length == 0 ? -1 : body.length);
      if (!head && body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  private static String jsonEscape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Stops at once; requests still running are abandoned. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
