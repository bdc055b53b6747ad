package dev.ferry.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC-Web client made of curl (a real HTTP/1.1 and HTTP/2 client), framing and unframing by
 * hand: one request per process, the response body read as it arrives.
 */
final class GrpcWebCurl implements AutoCloseable {
  /** A gRPC-Web response: headers (lower-case names), messages, and the trailer frame's fields. */
  record Response(
      Map<String, String> headers, List<byte[]> messages, Map<String, String> trailers) {
    /** grpc-status from the trailer frame, or from the headers of a Trailers-Only answer. */
    String status() {
      return trailers.getOrDefault("grpc-status", headers.get("grpc-status"));
    }

    String message() {
      return trailers.getOrDefault("grpc-message", headers.get("grpc-message"));
    }
  }

  private final Process process;
  private final Path headerFile;
  private final InputStream body;
  private final boolean text;
  private final ByteArrayOutputStream decoded = new ByteArrayOutputStream();
  private int decodedRead;

  private GrpcWebCurl(Process process, Path headerFile, boolean text) {
    this.process = process;
    this.headerFile = headerFile;
    this.body = process.getInputStream();
    this.text = text;
  }

  /**
   * Starts a POST of one message to {@code path} on 127.0.0.1:{@code port}: {@code text} picks
   * application/grpc-web-text, {@code h2} HTTP/2 with prior knowledge; {@code headers} are added.
   */
  static GrpcWebCurl post(
      int port, String path, byte[] message, boolean text, boolean h2, String... headers)
      throws IOException {
    byte[] frame = frame(message);
    return postBody(
        port, path, text ? Base64.getEncoder().encode(frame) : frame, text, h2, headers);
  }

  /** As {@link #post}, with {@code body} sent as it is: framed (and encoded) by the caller. */
  static GrpcWebCurl postBody(
      int port, String path, byte[] body, boolean text, boolean h2, String... headers)
      throws IOException {
    Path dir = Files.createTempDirectory("grpcweb");
    Path req = dir.resolve("req");
    Files.write(req, body);
    Path headerFile = dir.resolve("headers");
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            "curl", "-sS", "-N", "--max-time", "30", h2 ? "--http2-prior-knowledge" : "--http1.1"));
    cmd.addAll(List.of("-D", headerFile.toString(), "--data-binary", "@" + req));
    cmd.addAll(
        List.of(
            "-H",
            "content-type: application/grpc-web" + (text ? "-text" : "+proto"),
            "-H",
            "x-grpc-web: 1"));
    for (String h : headers) {
      cmd.addAll(List.of("-H", h));
    }
    cmd.add("http://127.0.0.1:" + port + path);
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    return new GrpcWebCurl(p, headerFile, text);
  }

  /** A gRPC message frame: flag 0, 4-byte length, the message. */
  static byte[] frame(byte[] message) {
    byte[] f = new byte[5 + message.length];
    f[1] = (byte) (message.length >>> 24);
    f[2] = (byte) (message.length >>> 16);
    f[3] = (byte) (message.length >>> 8);
    f[4] = (byte) message.length;
    System.arraycopy(message, 0, f, 5, message.length);
    return f;
  }

  /** The next frame of the body (flag byte first), read as soon as it is complete; null at end. */
  byte[] nextFrame() throws IOException {
    if (!fill(5)) {
      return null;
    }
    byte[] all = decoded.toByteArray();
    int len =
        ((all[decodedRead + 1] & 0xff) << 24)
            | ((all[decodedRead + 2] & 0xff) << 16)
            | ((all[decodedRead + 3] & 0xff) << 8)
            | (all[decodedRead + 4] & 0xff);
    assertThat(fill(5 + len)).as("a whole frame").isTrue();
    all = decoded.toByteArray();
    byte[] f = new byte[5 + len];
    System.arraycopy(all, decodedRead, f, 0, f.length);
    decodedRead += f.length;
    return f;
  }

  /** Reads until {@code n} decoded bytes are unread; false at end of body. */
  private boolean fill(int n) throws IOException {
    while (decoded.size() - decodedRead < n) {
      byte[] chunk = body.readNBytes(text ? 4 : 1);
      if (chunk.length == 0) {
        return false;
      }
      // Text: each group of four may end in padding, since the server encodes piece by piece.
      decoded.writeBytes(text ? Base64.getDecoder().decode(chunk) : chunk);
    }
    return true;
  }

  /** Reads the rest and waits for curl to finish. */
  Response finish() throws IOException, InterruptedException {
    List<byte[]> messages = new ArrayList<>();
    Map<String, String> trailers = new LinkedHashMap<>();
    byte[] f;
    while ((f = nextFrame()) != null) {
      if ((f[0] & 0x80) != 0) {
        for (String line :
            new String(f, 5, f.length - 5, StandardCharsets.ISO_8859_1).split("\r\n")) {
          int colon = line.indexOf(':');
          trailers.put(
              line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
        }
      } else {
        byte[] m = new byte[f.length - 5];
        System.arraycopy(f, 5, m, 0, m.length);
        messages.add(m);
      }
    }
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("curl's exit code").isZero();
    return new Response(headers(), messages, trailers);
  }

  private Map<String, String> headers() throws IOException {
    Map<String, String> h = new LinkedHashMap<>();
    for (String line : Files.readAllLines(headerFile, StandardCharsets.ISO_8859_1)) {
      int colon = line.indexOf(':');
      if (line.startsWith("HTTP/")) {
        h.put(":status", line.split(" ")[1]);
      } else if (colon > 0) {
        h.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
      }
    }
    return h;
  }

  @Override
  public void close() {
    process.destroy();
  }
}
