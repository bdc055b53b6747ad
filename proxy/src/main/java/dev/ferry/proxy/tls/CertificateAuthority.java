package dev.ferry.proxy.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made with BouncyCastle: it signs server and client certificates for
 * development TLS ({@code --tls self-signed}) and for tests (expired certificates, a second CA).
 * Keys are ECDSA P-256, the curve every TLS stack accepts.
 */
public final class CertificateAuthority {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey key;

  private CertificateAuthority(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /** An issued certificate and its private key. */
  public record Issued(X509Certificate certificate, PrivateKey key) {
    /** Writes the certificate and the key as PEM; the key file readable by its owner only. */
    public void write(Path certFile, Path keyFile) throws IOException {
      writeCertificate(certificate, certFile);
      writeKey(key, keyFile);
    }
  }

  /** A new self-signed CA named {@code commonName}, valid from now until {@code notAfter}. */
  public static CertificateAuthority create(String commonName, Instant notAfter) {
    KeyPair pair = newKeyPair();
    X500Principal name = new X500Principal("CN=" + commonName);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          builder(name, name, pair, Instant.now().minusSeconds(3600), notAfter)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(pair.getPublic()));
      return new CertificateAuthority(sign(b, pair.getPrivate()), pair.getPrivate());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot create a CA certificate", e);
    }
  }

  /** The CA stored by {@link #write}, read back. */
  public static CertificateAuthority read(Path certFile, Path keyFile) throws IOException {
    return new CertificateAuthority(readCertificate(certFile), readKey(keyFile));
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** Writes the CA's certificate and key as PEM. */
  public void write(Path certFile, Path keyFile) throws IOException {
    new Issued(certificate, key).write(certFile, keyFile);
  }

  /**
   * A server certificate for {@code names}: each an IP literal or a DNS name (the first is also the
   * common name), valid from {@code notBefore} to {@code notAfter}.
   */
  public Issued issueServer(List<String> names, Instant notBefore, Instant notAfter) {
    return issue(names.get(0), names, KeyPurposeId.id_kp_serverAuth, notBefore, notAfter);
  }

  /** A client certificate whose subject is {@code CN=commonName}. */
  public Issued issueClient(String commonName, Instant notBefore, Instant notAfter) {
    return issue(commonName, List.of(), KeyPurposeId.id_kp_clientAuth, notBefore, notAfter);
  }

  private Issued issue(
      String commonName,
      List<String> names,
      KeyPurposeId purpose,
      Instant notBefore,
      Instant notAfter) {
    KeyPair pair = newKeyPair();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          builder(
                  certificate.getSubjectX500Principal(),
                  new X500Principal("CN=" + commonName),
                  pair,
                  notBefore,
                  notAfter)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  ext.createAuthorityKeyIdentifier(certificate))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(pair.getPublic()));
      if (!names.isEmpty()) {
        List<GeneralName> san = new ArrayList<>();
        for (String n : names) {
          boolean ip = n.contains(":") || n.chars().allMatch(c -> c == '.' || Character.isDigit(c));
          san.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
        }
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(san.toArray(new GeneralName[0])));
      }
      return new Issued(sign(b, key), pair.getPrivate());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue a certificate for " + commonName, e);
    }
  }

  private static X509v3CertificateBuilder builder(
      X500Principal issuer, X500Principal subject, KeyPair pair, Instant from, Instant to) {
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(127, RANDOM).add(BigInteger.ONE),
        Date.from(from),
        Date.from(to),
        subject,
        pair.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no EC P-256 key generator in this JDK", e);
    }
  }

  /** Writes {@code certificate} as PEM, atomically (a reloading listener never sees half). */
  public static void writeCertificate(X509Certificate certificate, Path file) throws IOException {
    writePem(file, certificate, false);
  }

  /** Writes {@code key} as unencrypted PKCS#8 PEM, readable by its owner only. */
  public static void writeKey(PrivateKey key, Path file) throws IOException {
    writePem(file, new JcaPKCS8Generator(key, null).generate(), true);
  }

  private static void writePem(Path file, Object pem, boolean secret) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".ferry", ".tmp");
    try {
      if (secret) {
        restrictToOwner(tmp);
      }
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII);
          JcaPEMWriter pw = new JcaPEMWriter(w)) {
        pw.writeObject(pem);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void restrictToOwner(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system (Windows): the user's profile directory protects it instead.
    }
  }

  /** The first certificate of a PEM file. */
  public static X509Certificate readCertificate(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser p = new PEMParser(r)) {
      Object o = p.readObject();
      if (o instanceof org.bouncycastle.cert.X509CertificateHolder h) {
        return new JcaX509CertificateConverter().getCertificate(h);
      }
      throw new IOException(file + ": no PEM certificate");
    } catch (GeneralSecurityException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static PrivateKey readKey(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser p = new PEMParser(r)) {
      Object o = p.readObject();
      JcaPEMKeyConverter c = new JcaPEMKeyConverter();
      if (o instanceof PrivateKeyInfo info) {
        return c.getPrivateKey(info);
      }
      if (o instanceof PEMKeyPair pair) {
        return c.getKeyPair(pair).getPrivate();
      }
      throw new IOException(file + ": no PEM private key");
    }
  }
}
