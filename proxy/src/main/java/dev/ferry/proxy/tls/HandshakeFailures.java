package dev.ferry.proxy.tls;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslClosedEngineException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;

/**
 * Names why a client's TLS handshake failed, for the connection log. It decides by the types in the
 * cause chain (the client certificate checks throw typed exceptions through the TLS engine); where
 * no type tells, it shows the engine's own text, which BoringSSL makes specific.
 */
final class HandshakeFailures {
  private HandshakeFailures() {}

  /** Whether the client just closed the connection during the handshake, saying nothing. */
  static boolean abandoned(Throwable cause) {
    return cause instanceof ClosedChannelException || cause instanceof SslClosedEngineException;
  }

  /**
   * @param clientCertRequired whether the listener requires a client certificate, the likeliest
   *     cause of an otherwise unexplained failure there
   */
  static String describe(Throwable cause, boolean clientCertRequired) {
    Throwable t =
        cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (t instanceof NotSslRecordException) {
      return "the client did not speak TLS (its first bytes are not a TLS record)";
    }
    if (t instanceof SslHandshakeTimeoutException) {
      return "the client did not finish the handshake in time";
    }
    if (abandoned(t)) {
      return "the client closed the connection during the handshake";
    }
    CertificateException refused = find(t, CertificateException.class);
    if (refused != null) {
      return "client certificate refused: " + certificateReason(refused);
    }
    String engine = innermost(t);
    return clientCertRequired
        ? "TLS handshake failed (this listener requires a client certificate): " + engine
        : "TLS handshake failed: " + engine;
  }

  private static String certificateReason(CertificateException e) {
    if (find(e, CertificateExpiredException.class) != null) {
      return "it has expired";
    }
    if (find(e, CertificateNotYetValidException.class) != null) {
      return "it is not valid yet";
    }
    CertPathValidatorException invalid = find(e, CertPathValidatorException.class);
    if (invalid != null && invalid.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
      return "it has expired";
    }
    if (find(e, CertPathBuilderException.class) != null) {
      return "it is not signed by the listener's client CA (unknown CA)";
    }
    return innermost(e);
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  private static String innermost(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }
}
