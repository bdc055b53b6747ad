package dev.ferry.cli.importer.nginx;

import dev.ferry.cli.importer.nginx.YamlTree.Mapping;
import dev.ferry.cli.importer.nginx.YamlTree.Sequence;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Maps the {@code ssl_*} settings of the servers on one port to the listener's tls: one
 * certificate, or one per server chosen by SNI, and the client CA of mutual TLS.
 */
final class ListenerTls {
  private static final Set<String> FERRY_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  private final ConfPaths paths;
  private final ImportReport report;

  ListenerTls(ConfPaths paths, ImportReport report) {
    this.paths = paths;
    this.report = report;
  }

  /** The tls mapping, or {@code null} when no server listens with ssl on this port. */
  Mapping toYaml(List<Scope> servers, List<Boolean> ssl, Scope main) {
    if (!ssl.contains(Boolean.TRUE)) {
      return null;
    }
    Mapping tls = new Mapping();
    long count = ssl.stream().filter(b -> b).count();
    if (count == 1) {
      Scope s = servers.get(ssl.indexOf(Boolean.TRUE));
      if (!certificate(s, tls)) {
        return null;
      }
    } else {
      Sequence certificates = new Sequence();
      Mapping defaultCert = null;
      for (int i = 0; i < servers.size(); i++) {
        if (!ssl.get(i)) {
          continue;
        }
        Mapping cert = new Mapping();
        if (!certificate(servers.get(i), cert)) {
          continue;
        }
        if (servers.get(i) == main) {
          defaultCert = cert;
          continue;
        }
        Sequence names = new Sequence();
        for (Directive d : servers.get(i).innermost().children("server_name")) {
          for (String n : d.args()) {
            if (!n.startsWith("~") && !n.equals("_") && !n.isEmpty()) {
              names.add(n.toLowerCase(Locale.ROOT));
            }
          }
        }
        if (!names.isEmpty()) {
          cert.put("server_names", names);
        }
        certificates.add(cert);
      }
      if (defaultCert != null) {
        certificates.add(defaultCert, "the default server's: for clients with no SNI match");
      }
      tls.put("certificates", certificates);
    }
    clientCa(main, tls);
    protocols(main);
    return tls;
  }

  private boolean certificate(Scope server, Mapping into) {
    List<Directive> certs = server.effective("ssl_certificate");
    List<Directive> keys = server.effective("ssl_certificate_key");
    if (certs.isEmpty() || keys.isEmpty()) {
      report.notConverted(
          server.innermost(),
          "listens with ssl but has no ssl_certificate and ssl_certificate_key");
      return false;
    }
    for (int i = 1; i < certs.size(); i++) {
      report.notConverted(
          certs.get(i), "ferry serves one certificate per server name (the first is kept)");
    }
    Directive cert = certs.get(0);
    Directive key = keys.get(0);
    if (cert.arg(0).contains("$") || key.arg(0).contains("$")) {
      report.notConverted(cert, "ferry's certificate files are fixed; it has no nginx variables");
      return false;
    }
    into.put("cert", file(cert.arg(0)), cert.where());
    into.put("key", file(key.arg(0)), key.where());
    report.converted(cert);
    keys.forEach(report::converted);
    return true;
  }

  private String file(String path) {
    return paths.absolute(path);
  }

  private void clientCa(Scope server, Mapping tls) {
    Directive verify = server.last("ssl_verify_client");
    Directive ca = server.last("ssl_client_certificate");
    if (verify == null || verify.arg(0).equals("off")) {
      if (verify != null) {
        report.converted(verify);
      }
      if (ca != null) {
        report.ignored(ca, "without ssl_verify_client it has no effect");
      }
      return;
    }
    if (verify.arg(0).equals("optional_no_ca")) {
      report.notConverted(verify, "ferry verifies every client certificate it asks for");
      return;
    }
    if (ca == null) {
      report.notConverted(verify, "no ssl_client_certificate to verify against");
      return;
    }
    tls.put("client_ca", file(ca.arg(0)), ca.where());
    tls.put(
        "require_client_cert",
        verify.arg(0).equals("on") ? "true" : "false",
        verify.where() + ": " + verify.text());
    report.converted(ca);
    report.converted(verify);
  }

  private void protocols(Scope server) {
    Directive d = server.last("ssl_protocols");
    if (d == null) {
      return;
    }
    Set<String> given = Set.copyOf(d.args());
    if (given.equals(FERRY_PROTOCOLS)) {
      report.converted(d);
    } else if (given.containsAll(FERRY_PROTOCOLS)) {
      report.note(d, "ferry offers TLS 1.2 and 1.3 only: clients of older versions fail");
    } else {
      report.notConverted(
          d, "ferry always offers TLS 1.2 and 1.3 and cannot be limited to " + d.args());
    }
  }
}
