package dev.ferry.cli.call;

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
 * Finds out whether a port speaks TLS or plaintext HTTP/2 by sending a TLS ClientHello and looking
 * at the first byte of the answer: a TLS server answers with a handshake (0x16) or alert (0x15)
 * record; an h2c server answers with an HTTP/2 frame (its GOAWAY for a bad preface) or closes. No
 * data is exchanged and no certificate is trusted here; the real connection verifies as asked.
 */
final class TlsProbe {
  private static final int TLS_HANDSHAKE = 0x16;
  private static final int TLS_ALERT = 0x15;

  /** What the probe found. */
  enum Result {
    TLS,
    PLAINTEXT
  }

  private TlsProbe() {}

  /**
   * Connects to {@code target} and says what it speaks; an IOException when it cannot be reached
   * (refused, unknown host, no answer within {@code timeout}).
   */
  static Result probe(Target target, Duration timeout) throws IOException {
    byte[] clientHello = clientHello(target);
    int millis = (int) Math.max(1, timeout.toMillis());
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(target.host(), target.port()), millis);
      socket.setSoTimeout(millis);
      OutputStream out = socket.getOutputStream();
      out.write(clientHello);
      out.flush();
      InputStream in = socket.getInputStream();
      int first;
      try {
        first = in.read();
      } catch (SocketTimeoutException e) {
        throw new SocketTimeoutException(
            target
                + " accepted the connection but answered nothing to a TLS hello within "
                + Durations.format(timeout));
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
