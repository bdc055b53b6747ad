package dev.ferry.cli.importer.nginx;

import dev.ferry.cli.importer.nginx.YamlTree.Mapping;
import dev.ferry.cli.importer.nginx.YamlTree.Sequence;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the targets of {@code grpc_pass} and {@code proxy_pass} into ferry clusters: an {@code
 * upstream} block by its name, a single address as a cluster of one endpoint.
 */
final class ClusterMapper {
  /** How a cluster talks to its endpoints. */
  enum Protocol {
    GRPC("grpc://", ""),
    GRPCS("grpcs://", "grpcs://"),
    HTTP("http://", "http://"),
    HTTPS("https://", "https://");

    final String nginxScheme;
    final String ferryScheme;

    Protocol(String nginxScheme, String ferryScheme) {
      this.nginxScheme = nginxScheme;
      this.ferryScheme = ferryScheme;
    }

    int defaultPort() {
      return this == GRPCS || this == HTTPS ? 443 : 80;
    }

    boolean http1() {
      return this == HTTP || this == HTTPS;
    }
  }

  private final Map<String, Directive> upstreams = new LinkedHashMap<>();
  private final Map<String, Mapping> clusters = new LinkedHashMap<>();
  private final Map<String, String> comments = new LinkedHashMap<>();
  private final Set<String> tlsClusters = new HashSet<>();
  private final UpstreamMapper upstreamMapper;
  private final ImportReport report;

  ClusterMapper(Directive http, ImportReport report) {
    this.report = report;
    this.upstreamMapper = new UpstreamMapper(report);
    for (Directive u : http.children("upstream")) {
      upstreams.put(u.arg(0), u);
    }
  }

  /**
   * The name of the cluster {@code pass} (a grpc_pass or proxy_pass) leads to, made on first use,
   * or {@code null} after reporting why it cannot be.
   */
  String clusterFor(Directive pass) {
    boolean grpc = pass.name().equals("grpc_pass");
    String target = pass.arg(0);
    if (pass.args().size() != 1) {
      report.notConverted(pass, "expected one address");
      return null;
    }
    if (target.contains("$")) {
      report.notConverted(
          pass, "the target is chosen by variables at request time; ferry's clusters are fixed");
      return null;
    }
    Protocol protocol = grpc ? Protocol.GRPC : Protocol.HTTP;
    String rest = target;
    for (Protocol p : Protocol.values()) {
      if (target.startsWith(p.nginxScheme) && p.http1() != grpc) {
        protocol = p;
        rest = target.substring(p.nginxScheme.length());
      }
    }
    if (!grpc && rest.equals(target)) {
      report.notConverted(pass, "expected http:// or https://");
      return null;
    }
    boolean unix = rest.startsWith("unix:");
    // nginx ends a Unix socket's path at a colon (unix:/run/app.sock:/uri); ferry's endpoint is
    // the path alone.
    int slash = unix ? rest.indexOf(':', "unix:".length()) : rest.indexOf('/');
    if (slash >= 0) {
      if (!rest.substring(unix ? slash + 1 : slash).equals("/")) {
        report.notConverted(
            pass,
            "a URI after the address replaces the matched part of the path; ferry forwards the"
                + " path as it came");
        return null;
      }
      rest = rest.substring(0, slash);
    }
    Directive upstream = upstreams.get(rest);
    String name =
        upstream != null
            ? rest
            : unix
                ? "unix" + rest.substring("unix:".length()).replace('/', '_')
                : rest.replace(':', '_').replace("[", "").replace("]", "");
    if (protocol.http1()) {
      name += "_http1";
    }
    if (protocol == Protocol.GRPCS || protocol == Protocol.HTTPS) {
      name += "_tls";
    }
    if (!clusters.containsKey(name)) {
      Mapping cluster = new Mapping();
      if (upstream != null) {
        report.converted(upstream);
        upstreamMapper.fill(upstream, protocol, cluster);
        comments.put(name, upstream.where() + ": upstream " + upstream.arg(0));
      } else {
        String address = unix ? rest : NginxValues.hostPort(rest, protocol.defaultPort());
        if (address == null) {
          report.notConverted(pass, "expected host:port, got '" + rest + "'");
          return null;
        }
        cluster.put("endpoints", new Sequence().add(protocol.ferryScheme + address, pass.where()));
        comments.put(name, pass.where() + ": " + pass.text());
      }
      if (cluster.has("endpoints")) {
        clusters.put(name, cluster);
        if (protocol == Protocol.GRPCS || protocol == Protocol.HTTPS) {
          tlsClusters.add(name);
        }
      } else {
        report.notConverted(pass, "the upstream has no server ferry can use");
        return null;
      }
    }
    report.converted(pass);
    return name;
  }

  /**
   * Sets {@code key} of cluster {@code name} from {@code from}; a second location that wants
   * another value is reported, since ferry sets it per cluster and nginx per location.
   */
  void setting(String name, String key, Object value, Directive from) {
    Mapping cluster = clusters.get(name);
    for (YamlTree.Entry e : cluster.entries) {
      if (e.key().equals(key)) {
        if (!String.valueOf(e.value()).equals(String.valueOf(value))) {
          report.notConverted(
              from,
              "ferry sets "
                  + key
                  + " per cluster, and cluster '"
                  + name
                  + "' already has "
                  + e.value()
                  + " from "
                  + e.comment());
        } else {
          report.converted(from);
        }
        return;
      }
    }
    cluster.put(key, value, from.where() + ": " + from.text());
    report.converted(from);
  }

  /** Whether cluster {@code name} speaks TLS to its endpoints (grpcs://, https://). */
  boolean usesTls(String name) {
    return tlsClusters.contains(name);
  }

  /** The number of endpoints of cluster {@code name}. */
  int endpointCount(String name) {
    for (YamlTree.Entry e : clusters.get(name).entries) {
      if (e.key().equals("endpoints") && e.value() instanceof Sequence s) {
        return s.items.size();
      }
    }
    return 0;
  }

  /** Upstream blocks no location uses: nginx does nothing with them either. */
  List<Directive> unusedUpstreams() {
    return upstreams.values().stream().filter(u -> !report.isSeen(u)).toList();
  }

  /** {@code clusters:} of the YAML. */
  Mapping toYaml() {
    Mapping m = new Mapping();
    clusters.forEach((name, c) -> m.put(name, c, comments.get(name)));
    return m;
  }
}
