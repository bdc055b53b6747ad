package dev.ferry.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Connect client made of curl (a real HTTP/1.1 and HTTP/2 client): one request per process, the
 * response's headers from curl's header dump, its body read as it arrives.
 */
final class ConnectCurl implements AutoCloseable {
  /** An envelope of a streaming answer: its flags and payload. */
  record Envelope(int flags, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  /** A whole answer: status, headers (lower-case names) and body. */
  record Response(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final Process process;
  private final Path headerFile;
  private final InputStream body;

  private ConnectCurl(Process process, Path headerFile) {
    this.process = process;
    this.headerFile = headerFile;
    this.body = process.getInputStream();
  }

  /** POSTs {@code body} with {@code contentType} to {@code path}; {@code h2}: HTTP/2. */
  static ConnectCurl post(
      int port, String path, String contentType, byte[] body, boolean h2, String... headers)
      throws IOException {
    Path dir = Files.createTempDirectory("connect");
    Path req = dir.resolve("req");
    Files.write(req, body);
    List<String> args = new ArrayList<>(List.of("--data-binary", "@" + req));
    args.addAll(List.of("-H", "content-type: " + contentType));
    for (String h : headers) {
      args.addAll(List.of("-H", h));
    }
    return start(dir, port, path, h2, args);
  }

  /**
   * Sends {@code method} {@code pathAndQuery} with {@code json} as its body ({@code null} for
   * none), as a REST client does.
   */
  static ConnectCurl request(
      int port, String method, String pathAndQuery, String json, boolean h2, String... headers)
      throws IOException {
    Path dir = Files.createTempDirectory("rest");
    List<String> args = new ArrayList<>(List.of("-X", method));
    if (json != null) {
      Path req = dir.resolve("req");
      Files.writeString(req, json);
      args.addAll(List.of("--data-binary", "@" + req, "-H", "content-type: application/json"));
    }
    for (String h : headers) {
      args.addAll(List.of("-H", h));
    }
    return start(dir, port, pathAndQuery, h2, args);
  }

  /** GETs {@code pathAndQuery}. */
  static ConnectCurl get(int port, String pathAndQuery, boolean h2) throws IOException {
    return start(Files.createTempDirectory("connect"), port, pathAndQuery, h2, List.of());
  }

  private static ConnectCurl start(Path dir, int port, String path, boolean h2, List<String> args)
      throws IOException {
    Path headerFile = dir.resolve("headers");
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            "curl", "-sS", "-N", "--max-time", "30", h2 ? "--http2-prior-knowledge" : "--http1.1"));
    cmd.addAll(List.of("-D", headerFile.toString()));
    cmd.addAll(args);
    cmd.add("http://127.0.0.1:" + port + path);
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    return new ConnectCurl(p, headerFile);
  }

  /** A streaming answer's next envelope, as soon as it is whole; null at the end of the body. */
  Envelope nextEnvelope() throws IOException {
    byte[] prefix = body.readNBytes(5);
    if (prefix.length == 0) {
      return null;
    }
    assertThat(prefix).as("an envelope's prefix").hasSize(5);
    int len =
        ((prefix[1] & 0xff) << 24)
            | ((prefix[2] & 0xff) << 16)
            | ((prefix[3] & 0xff) << 8)
            | (prefix[4] & 0xff);
    byte[] payload = body.readNBytes(len);
    assertThat(payload).as("a whole envelope").hasSize(len);
    return new Envelope(prefix[0] & 0xff, payload);
  }

  /** Reads the rest of the body and waits for curl to finish. */
  Response finish() throws IOException, InterruptedException {
    byte[] rest = body.readAllBytes();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("curl's exit code").isZero();
    return new Response(Integer.parseInt(headers().get(":status")), headers(), rest);
  }

  /** The response headers (of the last response curl saw). */
  Map<String, String> headers() throws IOException {
    Map<String, String> h = new LinkedHashMap<>();
    for (String line : Files.readAllLines(headerFile, StandardCharsets.ISO_8859_1)) {
      int colon = line.indexOf(':');
      if (line.startsWith("HTTP/")) {
        h.clear();
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
