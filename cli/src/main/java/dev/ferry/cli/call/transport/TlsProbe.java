package dev.ferry.cli.call.transport;

import dev.ferry.cli.option.DurationOption;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * Finds out whether a port speaks TLS or plaintext HTTP/2. Many h2c servers (grpc-java, Go, Netty)
 * send their SETTINGS frame as soon as a connection opens, while a TLS server never speaks first:
 * so the probe first listens briefly, and only if the server stays silent sends a TLS ClientHello
 * and looks at the first byte of the answer: a TLS server answers with a handshake (0x16) or alert
 * (0x15) record; an h2c server answers with an HTTP/2 frame (its GOAWAY for a bad preface) or
 * closes. Listening first spares h2c servers a garbled preface in their logs. No data is exchanged
 * and no certificate is trusted here; the real connection verifies as asked.
 */
public final class TlsProbe {
  private static final int TLS_HANDSHAKE = 0x16;
  private static final int TLS_ALERT = 0x15;

  /** How long to wait for an h2c server's unprompted SETTINGS before sending a TLS hello. */
  private static final int LISTEN_FIRST_MILLIS = 150;

  /** What the probe found. */
  public enum Result {
    TLS,
    PLAINTEXT
  }

  private TlsProbe() {}

  /**
   * Connects to {@code target} and says what it speaks; an IOException when it cannot be reached
   * (refused, unknown host, no answer within {@code timeout}).
   */
  public static Result probe(Target target, Duration timeout) throws IOException {
    if (target.isUnix()) {
      // Not probed: services on a local socket speak plaintext, and ferry assumes it there.
      return Result.PLAINTEXT;
    }
    int millis = (int) Math.max(1, timeout.toMillis());
    try (Socket socket = new Socket()) {
      try {
        socket.connect(new InetSocketAddress(target.host(), target.port()), millis);
      } catch (SocketTimeoutException e) {
        // The JDK's has no message; the failure report names the timeout from this one.
        throw new SocketTimeoutException("connect timed out: " + target);
      }
      InputStream in = socket.getInputStream();
      socket.setSoTimeout(Math.min(millis, LISTEN_FIRST_MILLIS));
      try {
        // Any byte a server sends unasked is not TLS (a TLS server waits for the client's hello),
        // and a server that closes at once is no TLS server that ferry could talk to either.
        in.read();
        return Result.PLAINTEXT;
      } catch (SocketTimeoutException silent) {
        // Silent, as TLS servers are: ask in TLS.
      }
      socket.setSoTimeout(millis);
      OutputStream out = socket.getOutputStream();
      // Made only now: the JDK's TLS and its CA store cost a one-shot call a sixth of its CPU time
      // and 9 MB of RSS, and h2c servers, which speak first, never need them.
      out.write(clientHello(target));
      out.flush();
      int first;
      try {
        first = in.read();
      } catch (SocketTimeoutException e) {
        throw new SocketTimeoutException(
            target
                + " accepted the connection but answered nothing to a TLS hello within "
                + DurationOption.format(timeout));
      } catch (IOException e) {
        // A plaintext server may reset the connection on bytes it cannot parse.
        return Result.PLAINTEXT;
      }
      return first == TLS_HANDSHAKE || first == TLS_ALERT ? Result.TLS : Result.PLAINTEXT;
    }
  }

  private static byte[] clientHello(Target target) throws SSLException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, null, null);
      SSLEngine engine = context.createSSLEngine(target.host(), target.port());
      engine.setUseClientMode(true);
      engine.beginHandshake();
      ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
      engine.wrap(ByteBuffer.allocate(0), out);
      out.flip();
      byte[] bytes = new byte[out.remaining()];
      out.get(bytes);
      return bytes;
    } catch (java.security.GeneralSecurityException e) {
      throw new SSLException("this Java has no TLS: " + e.getMessage(), e);
    }
  }
}
