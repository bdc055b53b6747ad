package dev.ferry.cli;

import dev.ferry.proxy.config.AccessLogConfig;
import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.DirectReply;
import dev.ferry.proxy.config.Durations;
import dev.ferry.proxy.config.Endpoint;
import dev.ferry.proxy.config.HeaderMatch;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.config.RateLimitConfig;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.config.RouteMatch;
import dev.ferry.proxy.config.RoutePolicy;
import dev.ferry.proxy.status.GrpcCode;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What {@code ferry serve} prints once it listens: each listener, its routes in the order they are
 * tried, and where each goes, down to the endpoints, so that a glance shows what the proxy does.
 *
 * <pre>
 * ferry serve: examples/ferry.yaml
 * listening on 127.0.0.1:8080
 *   service helloworld.Greeter   -&gt; greeter  (h2, round_robin): 127.0.0.1:50051
 *   service helloworld.Daininki  -&gt; daininki (h2, round_robin): 127.0.0.1:50052, 127.0.0.1:50053; deadline cap 30s
 *   prefix /                     -&gt; rest     (http1, round_robin): 127.0.0.1:8000
 * access log: - (text)
 * admin: http://127.0.0.1:9901/ (the dashboard, in a browser; /dashboard.json /metrics ...)
 * reload: when examples/ferry.yaml changes, or on SIGHUP
 * ready; Ctrl-C to stop
 * </pre>
 */
final class ServeSummary {
  private ServeSummary() {}

  static void print(
      String source, ProxyConfig config, List<? extends SocketAddress> bound, PrintWriter out) {
    print(source, config, bound, null, List.of(), out);
  }

  /** With the admin listener's address ({@code null}: none). */
  static void print(
      String source,
      ProxyConfig config,
      List<? extends SocketAddress> bound,
      InetSocketAddress admin,
      PrintWriter out) {
    print(source, config, bound, admin, List.of(), out);
  }

  /**
   * With the admin listener's address ({@code null}: none) and {@code notes} (such as how to trust
   * a development CA) before the last line.
   */
  static void print(
      String source,
      ProxyConfig config,
      List<? extends SocketAddress> bound,
      InetSocketAddress admin,
      List<String> notes,
      PrintWriter out) {
    out.println("ferry serve: " + source);
    for (int i = 0; i < config.listeners().size(); i++) {
      ListenerConfig l = config.listeners().get(i);
      String where = i < bound.size() ? address(bound.get(i)) : address(l);
      out.println("listening on " + where + (l.tls() == null ? "" : " (TLS)"));
      List<String> matches = l.routes().stream().map(r -> match(r.match())).toList();
      int width = matches.stream().mapToInt(String::length).max().orElse(0);
      int clusterWidth =
          l.routes().stream()
              .filter(r -> r.cluster() != null)
              .mapToInt(r -> r.cluster().length())
              .max()
              .orElse(0);
      for (int r = 0; r < l.routes().size(); r++) {
        out.println(
            "  "
                + pad(matches.get(r), width)
                + " -> "
                + target(l.routes().get(r), config, clusterWidth));
      }
    }
    AccessLogConfig log = config.accessLog();
    out.println(
        "access log: "
            + (log == null
                ? "off"
                : log.path() + " (" + log.format().name().toLowerCase(Locale.ROOT) + ")"));
    if (admin != null) {
      out.println("admin: " + adminLine(admin));
    }
    if (!"flags".equals(source)) {
      out.println("reload: when " + source + " changes, or on SIGHUP");
    }
    notes.forEach(out::println);
    out.println("ready; Ctrl-C to stop");
  }

  /** {@code service helloworld.Greeter}, {@code prefix / + header x-env=canary}, ... */
  static String match(RouteMatch m) {
    List<String> parts = new ArrayList<>();
    if (m.method() != null) {
      parts.add("method " + m.method());
    } else if (m.service() != null) {
      parts.add("service " + m.service());
    }
    if (m.prefix() != null) {
      parts.add("prefix " + m.prefix());
    }
    if (m.authority() != null) {
      parts.add("host " + m.authority());
    }
    for (HeaderMatch h : m.headers()) {
      if (h.exact() != null) {
        parts.add("header " + h.name() + "=" + h.exact());
      } else if (h.prefix() != null) {
        parts.add("header " + h.name() + "^=" + h.prefix());
      } else {
        parts.add("header " + h.name() + "~" + h.regex().pattern());
      }
    }
    return parts.isEmpty() ? "everything" : String.join(" + ", parts);
  }

  private static String target(RouteConfig r, ProxyConfig config, int clusterWidth) {
    String cap =
        (r.maxTimeout() == null ? "" : "; deadline cap " + Durations.format(r.maxTimeout()))
            + policy(r.policy());
    if (r.directReply() != null) {
      DirectReply d = r.directReply();
      GrpcCode code = GrpcCode.ofValue(d.grpcStatus());
      return "direct reply: grpc-status "
          + d.grpcStatus()
          + (code == null ? "" : " " + code.name())
          + ", http "
          + d.httpStatus()
          + (d.message().isEmpty() ? "" : " \"" + d.message() + "\"")
          + policy(r.policy());
    }
    ClusterConfig c = config.clusters().get(r.cluster());
    String policy = c.balance().name().toLowerCase(Locale.ROOT);
    if (c.hashHeader() != null) {
      policy += " on " + c.hashHeader();
    }
    String endpoints =
        c.endpoints().stream().map(ServeSummary::endpoint).collect(Collectors.joining(", "));
    return pad(c.name(), clusterWidth)
        + " ("
        + c.protocol().name().toLowerCase(Locale.ROOT)
        + (c.tls() == null ? "" : c.tls().insecure() ? "+tls, insecure" : "+tls")
        + ", "
        + policy
        + "): "
        + endpoints
        + cap;
  }

  /**
   * {@code ; acl; rate 100/s per client_ip; messages up to 4194304 bytes; cors
   * http://localhost:5173}, or nothing.
   */
  static String policy(RoutePolicy p) {
    if (p == null || p.equals(RoutePolicy.NONE)) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    if (p.acl() != null) {
      sb.append("; acl");
    }
    RateLimitConfig rate = p.rateLimit();
    if (rate != null) {
      sb.append("; rate ").append(rate.rate()).append(" burst ").append(rate.burst());
      switch (rate.key()) {
        case CLIENT_IP -> sb.append(" per client_ip");
        case HEADER -> sb.append(" per ").append(rate.header());
        default -> {}
      }
    }
    if (p.maxRequestMessageBytes() > 0) {
      sb.append("; messages up to ").append(p.maxRequestMessageBytes()).append(" bytes");
    }
    if (p.cors() != null) {
      sb.append("; cors ").append(String.join(" ", p.cors().allowOrigins()));
    }
    return sb.toString();
  }

  /** {@code http://127.0.0.1:9901/ (/metrics ...)}: where to look, and what is there. */
  static String adminLine(InetSocketAddress admin) {
    return "http://"
        + address(admin)
        + "/ (the dashboard, in a browser; /dashboard.json /metrics /clusters /config /ready"
        + " /healthz, POST /drain)";
  }

  private static String endpoint(Endpoint e) {
    return e.weight() == 1 ? e.toString() : e + " (weight " + e.weight() + ")";
  }

  static String address(ListenerConfig l) {
    return l.address();
  }

  /** {@code 127.0.0.1:8080}, {@code [::1]:8080}, or {@code unix:/path} for a Unix socket. */
  static String address(SocketAddress a) {
    if (a instanceof DomainSocketAddress socket) {
      return "unix:" + socket.path();
    }
    return HostPort.format((InetSocketAddress) a);
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
