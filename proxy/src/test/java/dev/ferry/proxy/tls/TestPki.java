package dev.ferry.proxy.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Certificates for tests, written as PEM files into a directory: CAs, servers, clients. */
public final class TestPki {
  private final Path dir;

  public TestPki(Path dir) {
    this.dir = dir;
  }

  /** A CA whose certificate is {@code NAME-ca.pem}. */
  public Ca ca(String name) throws IOException {
    CertificateAuthority ca =
        CertificateAuthority.create(name, Instant.now().plus(Duration.ofDays(30)));
    Path cert = dir.resolve(name + "-ca.pem");
    ca.write(cert, dir.resolve(name + "-ca.key"));
    return new Ca(ca, cert);
  }

  /** A certificate and key on disk. */
  public record Pair(Path cert, Path key) {}

  /** A CA and the file of its certificate. */
  public final class Ca {
    private final CertificateAuthority ca;
    public final Path cert;

    Ca(CertificateAuthority ca, Path cert) {
      this.ca = ca;
      this.cert = cert;
    }

    /** A server certificate valid now, for {@code names}. */
    public Pair server(String file, String... names) throws IOException {
      return server(
          file, Instant.now().minusSeconds(3600), Instant.now().plusSeconds(86400), names);
    }

    public Pair server(String file, Instant from, Instant to, String... names) throws IOException {
      Pair p = new Pair(dir.resolve(file + ".pem"), dir.resolve(file + ".key"));
      ca.issueServer(List.of(names), from, to).write(p.cert(), p.key());
      return p;
    }

    /** A client certificate valid now with subject {@code CN=commonName}. */
    public Pair client(String file, String commonName) throws IOException {
      Pair p = new Pair(dir.resolve(file + ".pem"), dir.resolve(file + ".key"));
      ca.issueClient(commonName, Instant.now().minusSeconds(3600), Instant.now().plusSeconds(86400))
          .write(p.cert(), p.key());
      return p;
    }
  }
}
