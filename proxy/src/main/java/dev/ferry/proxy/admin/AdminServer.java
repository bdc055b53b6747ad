package dev.ferry.proxy.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.proxy.metrics.ProxyMeters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener. It runs on the JDK's HTTP server and a thread of its own, away from the event
 * loops: a slow scrape or a curl left open never delays a call. The same thread samples the call
 * counters for the dashboard's charts every {@link #SAMPLE_INTERVAL_MILLIS}.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String JSON = "application/json";

  /** How often the dashboard's charts get a point. */
  static final long SAMPLE_INTERVAL_MILLIS = 2000;

  /** Points per chart: five minutes of them. */
  static final int HISTORY_LENGTH = 150;

  private final HttpServer server;
  private final ScheduledExecutorService executor;
  private final AdminView view;
  private final CallHistory history = new CallHistory(ProxyMeters.latencyBounds(), HISTORY_LENGTH);

  private AdminServer(HttpServer server, ScheduledExecutorService executor, AdminView view) {
    this.server = server;
    this.executor = executor;
    this.view = view;
  }

  /** Binds {@code host:port} (port 0: a free one) and serves {@code view}. */
  public static AdminServer start(String host, int port, AdminView view) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ferry-admin");
              t.setDaemon(true);
              return t;
            });
    AdminServer admin = new AdminServer(server, executor, view);
    server.setExecutor(executor);
    server.createContext("/", admin::handle);
    server.start();
    executor.scheduleAtFixedRate(admin::sample, 0, SAMPLE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    log.debug("admin listening on {}", server.getAddress());
    return admin;
  }

  /** The address bound (port 0 resolved). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void sample() {
    try {
      history.sample(System.currentTimeMillis(), view.meters().callTotals());
    } catch (RuntimeException e) {
      // A failed sample leaves a gap in the charts; throwing would cancel every later one.
      log.debug("dashboard sample: {}", e.toString(), e);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      switch (path) {
        case "/metrics" -> {
          if (get(ex, method)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            view.meters().write(out);
            send(ex, 200, ProxyMeters.CONTENT_TYPE, out.toByteArray());
          }
        }
        case "/clusters" -> {
          if (get(ex, method)) {
            boolean json = "format=json".equals(ex.getRequestURI().getQuery());
            String body =
                json
                    ? ClustersReport.json(view.endpointStats())
                    : ClustersReport.text(view.endpointStats());
            send(ex, 200, json ? JSON : TEXT, body);
          }
        }
        case "/config" -> {
          if (get(ex, method)) {
            send(ex, 200, JSON, ConfigJson.write(view.config(), view.source()));
          }
        }
        case "/ready" -> {
          if (get(ex, method)) {
            String notReady = view.notReady();
            boolean ready = notReady == null;
            send(ex, ready ? 200 : 503, TEXT, ready ? "ready\n" : "not ready: " + notReady + "\n");
          }
        }
        case "/healthz" -> {
          if (get(ex, method)) {
            send(ex, 200, TEXT, "ok\n");
          }
        }
        case "/drain" -> {
          if ("POST".equals(method)) {
            view.drain();
            send(ex, 200, TEXT, "draining: /ready now fails and clients were sent GOAWAY\n");
          } else {
            ex.getResponseHeaders().set("Allow", "POST");
            send(ex, 405, TEXT, "use POST /drain\n");
          }
        }
        case "/dashboard.json" -> {
          if (get(ex, method)) {
            String body =
                DashboardJson.write(
                    view, history, System.currentTimeMillis(), SAMPLE_INTERVAL_MILLIS);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            send(ex, 200, JSON, body);
          }
        }
        case "/" -> {
          if (get(ex, method)) {
            // A browser gets the dashboard; curl and scripts keep getting the list of pages.
            String accept = ex.getRequestHeaders().getFirst("Accept");
            if (accept != null && accept.contains("text/html")) {
              DashboardAssets.send(ex, "dashboard.html");
            } else {
              send(
                  ex,
                  200,
                  TEXT,
                  "ferry admin: / (dashboard, in a browser) /dashboard.json /metrics"
                      + " /clusters[?format=json] /config /ready /healthz POST /drain\n");
            }
          }
        }
        case "/dashboard.js", "/dashboard.css" -> {
          if (get(ex, method)) {
            DashboardAssets.send(ex, path.substring(1));
          }
        }
        default -> send(ex, 404, TEXT, "no admin page " + path + "; try /\n");
      }
    } catch (IOException | RuntimeException e) {
      // A client that went away mid-answer is routine; anything else is ours to see.
      log.debug("admin {} {}: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString(), e);
    }
  }

  private static boolean get(HttpExchange ex, String method) throws IOException {
    if ("GET".equals(method) || "HEAD".equals(method)) {
      return true;
    }
    ex.getResponseHeaders().set("Allow", "GET, HEAD");
    send(ex, 405, TEXT, "use GET\n");
    return false;
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    send(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    boolean head = "HEAD".equals(ex.getRequestMethod());
    ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
