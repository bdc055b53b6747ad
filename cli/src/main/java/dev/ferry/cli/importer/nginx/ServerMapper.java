package dev.ferry.cli.importer.nginx;

import dev.ferry.cli.importer.nginx.LocationMapper.Route;
import dev.ferry.cli.importer.nginx.YamlTree.Mapping;
import dev.ferry.cli.importer.nginx.YamlTree.Sequence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps {@code server} blocks to listeners: one listener per address, several servers on one port
 * told apart by their exact server names as route authorities, the default server's routes last.
 */
final class ServerMapper {
  /** The servers that listen on one address. */
  private static final class Port {
    final List<Directive> listens = new ArrayList<>();
    final List<Scope> servers = new ArrayList<>();
    final List<Boolean> ssl = new ArrayList<>();
    Scope defaultServer;
  }

  private final LocationMapper locations;
  private final ListenerTls tls;
  private final ImportReport report;

  ServerMapper(LocationMapper locations, ListenerTls tls, ImportReport report) {
    this.locations = locations;
    this.tls = tls;
    this.report = report;
  }

  Sequence listeners(Scope http) {
    Map<String, Port> ports = new LinkedHashMap<>();
    for (Directive server : http.innermost().children("server")) {
      report.converted(server);
      Scope scope = http.inside(server);
      List<Directive> listens = server.children("listen");
      if (listens.isEmpty()) {
        report.note(server, "no listen: nginx's default, port 80 on every address");
        port(ports, "0.0.0.0:80", server, scope, false, false);
      }
      for (Directive listen : listens) {
        listen(listen, ports, server, scope);
      }
    }
    Sequence out = new Sequence();
    for (var e : ports.entrySet()) {
      Mapping listener = listener(e.getKey(), e.getValue());
      if (listener != null) {
        out.add(
            listener,
            e.getValue().listens.get(0).where() + ": " + e.getValue().listens.get(0).text());
      }
    }
    return out;
  }

  private void listen(Directive listen, Map<String, Port> ports, Directive server, Scope scope) {
    String address = listen.arg(0);
    // A Unix socket is written as in nginx, unix:/path, in a ferry listener's address too.
    String hostPort = address.startsWith("unix:") ? address : NginxValues.hostPort(address, 80);
    if (hostPort == null) {
      report.notConverted(listen, "expected an address, a port, or address:port");
      return;
    }
    boolean ssl = listen.args().contains("ssl");
    boolean isDefault = false;
    for (String p : listen.args().subList(1, listen.args().size())) {
      switch (p) {
        case "default_server", "default" -> isDefault = true;
        case "ssl" -> {}
        case "http2" -> {
          if (!ssl) {
            report.note(
                listen,
                "nginx speaks only HTTP/2 (prior knowledge) on a plaintext http2 port, so HTTP/1.1"
                    + " clients fail there; ferry's listener takes HTTP/1.1 and HTTP/2 on one port");
          }
        }
        case "proxy_protocol" ->
            report.notConverted(listen, "ferry does not read the PROXY protocol header");
        case "quic", "http3" -> report.notConverted(listen, "ferry does not speak HTTP/3");
        default ->
            report.note(listen, "'" + p + "' is a socket option ferry chooses itself; left out");
      }
    }
    report.converted(listen);
    Port port = port(ports, hostPort, server, scope, ssl, isDefault);
    port.listens.add(listen);
  }

  private static Port port(
      Map<String, Port> ports,
      String address,
      Directive server,
      Scope scope,
      boolean ssl,
      boolean isDefault) {
    Port port = ports.computeIfAbsent(address, a -> new Port());
    port.servers.add(scope);
    port.ssl.add(ssl);
    if (isDefault || port.defaultServer == null) {
      port.defaultServer = scope;
    }
    return port;
  }

  private Mapping listener(String address, Port port) {
    Mapping listener = new Mapping();
    listener.put("address", address);
    Scope main = port.defaultServer;
    settings(main, listener);
    Mapping listenerTls = tls.toYaml(port.servers, port.ssl, main);
    if (listenerTls != null) {
      listener.put("tls", listenerTls);
    }
    Sequence routes = new Sequence();
    for (Scope server : port.servers) {
      if (server == main) {
        continue;
      }
      for (String name : exactNames(server)) {
        boolean catchAll = false;
        for (Route r : locations.routes(server, name)) {
          routes.add(r.mapping(), r.comment());
          catchAll |= matchesEveryPath(r.mapping().mapping("match"));
        }
        if (!catchAll) {
          routes.add(notFound(name), server.innermost().where() + ": the rest of " + name);
        }
      }
    }
    for (Route r : locations.routes(main, null)) {
      routes.add(r.mapping(), r.comment());
    }
    if (routes.isEmpty()) {
      report.notConverted(
          main.innermost(), "no location of the servers on " + address + " could be converted");
      return null;
    }
    listener.put("routes", routes);
    return listener;
  }

  /** Whether a route's match takes every path of its authority (no method, no prefix but /). */
  private static boolean matchesEveryPath(Mapping match) {
    if (match.has("method")) {
      return false;
    }
    return match.entries.stream()
        .filter(e -> e.key().equals("prefix"))
        .allMatch(e -> "/".equals(e.value()));
  }

  /**
   * nginx answers 404 for a request to a named server that none of its locations match; ferry would
   * go on to the routes of the port's default server, so the named server's routes end with this.
   */
  private static Mapping notFound(String authority) {
    Mapping route = new Mapping();
    route.put("match", new Mapping().put("authority", authority));
    route.put("direct_reply", new Mapping().put("http_status", 404));
    return route;
  }

  /** The exact names of {@code server}, reporting wildcard and regex names. */
  private List<String> exactNames(Scope server) {
    List<String> names = new ArrayList<>();
    for (Directive d : server.innermost().children("server_name")) {
      report.converted(d);
      for (String n : d.args()) {
        if (n.startsWith("~") || n.contains("*") || n.startsWith(".")) {
          report.notConverted(d, "ferry matches an exact host name (authority), not '" + n + "'");
        } else if (!n.isEmpty() && !n.equals("_")) {
          names.add(n.toLowerCase(Locale.ROOT));
        }
      }
    }
    if (names.isEmpty()) {
      report.notConverted(
          server.innermost(),
          "a server that is not its port's default and has no exact server_name: ferry cannot"
              + " tell its requests from the default server's");
    }
    return names;
  }

  /** The connection settings of the port's default server. */
  private void settings(Scope server, Mapping listener) {
    Directive keepalive = server.last("keepalive_timeout");
    if (keepalive == null) {
      keepalive = server.last("http2_idle_timeout");
    }
    if (keepalive != null) {
      String d = NginxValues.duration(keepalive.arg(0));
      if (d == null || d.equals("0s")) {
        report.notConverted(
            keepalive, "ferry keeps idle connections open for a time; 0 (never) is not nginx's 0");
      } else {
        listener.put("idle_timeout", d, keepalive.where() + ": " + keepalive.text());
        report.converted(keepalive);
      }
    }
    Mapping limits = new Mapping();
    Directive streams = server.last("http2_max_concurrent_streams");
    Integer streamCount = streams == null ? null : NginxValues.count(streams.arg(0));
    if (streamCount != null && streamCount > 0) {
      limits.put("max_concurrent_streams", streamCount, streams.where());
      report.converted(streams);
    } else if (streams != null) {
      report.notConverted(streams, "expected a number of streams, at least 1");
    }
    Directive header = server.last("client_header_timeout");
    if (header != null && NginxValues.duration(header.arg(0)) != null) {
      limits.put("header_read_timeout", NginxValues.duration(header.arg(0)), header.where());
      report.converted(header);
    }
    if (!limits.isEmpty()) {
      listener.put("limits", limits);
    }
  }
}
