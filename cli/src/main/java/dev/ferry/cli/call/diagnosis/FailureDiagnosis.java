package dev.ferry.cli.call.diagnosis;

import dev.ferry.cli.call.invoke.DynamicCall;
import dev.ferry.cli.call.transport.ChannelFactory;
import dev.ferry.cli.call.transport.Target;
import dev.ferry.cli.option.DurationOption;
import dev.ferry.proxy.status.LocalReplyReason;
import io.grpc.Status;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Names the cause of a failed call in one line, where grpc-java's status says it only in passing
 * ("io exception", "HTTP status code 502 / invalid content-type") or not at all ("Network closed
 * for unknown reason").
 */
final class FailureDiagnosis {
  private static final Pattern HTTP_STATUS = Pattern.compile("HTTP status code (\\d+)");
  private static final Pattern CONTENT_TYPE = Pattern.compile("invalid content-type: ([^\\n]*)");
  private static final Pattern SIZE =
      Pattern.compile("exceeds maximum size (\\d+): (\\d+)|exceeds maximum: (\\d+)");
  private static final Pattern H2_CODE = Pattern.compile("HTTP/2 error code: ([A-Z_]+)");

  /** grpc-java's description of a stream that the peer reset (NettyClientHandler). */
  private static final String RESET_BY_PEER = "RST_STREAM closed stream";

  private static final Map<String, String> RESET_CODE_MEANINGS =
      Map.of(
          "REFUSED_STREAM", ": it did not process the call, retrying is safe",
          "CANCEL",
              ": it gave up on the call, as a server does when its copy of the deadline passes",
          "ENHANCE_YOUR_CALM", ": it finds the client too busy, too many pings or streams");
  private static final String DATA_MARK = "DATA-----------------------------\n";
  private static final String TRAILERS_MARK = "\ntrailers: ";

  /**
   * What is known about the call besides its status. {@code requestSent}: its request headers are
   * known to have been written, so its stream was open and a cancel of ours reset it. {@code
   * schemaLookup}: the call was ferry call's own server-reflection lookup of the schema.
   */
  record Context(
      Target target,
      ChannelFactory.Security security,
      String tlsName,
      Duration deadline,
      Duration connectTimeout,
      byte[] firstBytes,
      boolean requestSent,
      boolean headersReceived,
      boolean schemaLookup) {}

  /** The reasons a ferry proxy gives when a backend could not answer for it. */
  private static final EnumSet<LocalReplyReason> BACKEND_OUT_OF_REACH =
      EnumSet.of(
          LocalReplyReason.CONNECT_FAILED,
          LocalReplyReason.NO_HEALTHY_UPSTREAM,
          LocalReplyReason.DEADLINE_EXCEEDED,
          LocalReplyReason.UPSTREAM_RESET,
          LocalReplyReason.UPSTREAM_PROTOCOL_ERROR,
          LocalReplyReason.OVERLOADED,
          LocalReplyReason.DRAINING);

  /** Netty's complaint about a reply that does not begin with HTTP/2's SETTINGS frame. */
  private static final Pattern FIRST_BYTES =
      Pattern.compile("Hex dump for first 5 bytes: ([0-9a-fA-F]+)");

  /** "HTTP/" in hex: an HTTP/1.x status line. */
  private static final String HTTP1_REPLY = "485454502f";

  /** Netty's ConnectTimeoutException: "connection timed out after 1 ms: /127.0.0.1:50051". */
  private static final Pattern CONNECT_TIMED_OUT =
      Pattern.compile("(?i)connection timed out(?: after \\d+ ms)?: /?(\\S+)$");

  private FailureDiagnosis() {}

  /**
   * The cause of a failed schema lookup that a ferry proxy answered itself ({@code localReply}, its
   * {@value LocalReplyReason#HEADER} trailer) because a backend behind it was out of reach: the
   * proxy answers server reflection by asking its clusters, so the schema is behind them.
   */
  static Optional<String> schemaBehindProxy(LocalReplyReason localReply, Context context) {
    if (!context.schemaLookup() || !BACKEND_OUT_OF_REACH.contains(localReply)) {
      return Optional.empty();
    }
    return Optional.of(
        "the ferry proxy at "
            + context.target()
            + " could not ask the backends behind it for the schema (the message names each"
            + " cluster and its error): is that backend running? does the proxy's config point at"
            + " it?");
  }

  static Optional<String> explain(Status status, Context context) {
    String description = status.getDescription() == null ? "" : status.getDescription();
    Throwable cause = status.getCause();
    // Before ConnectException: Netty's ConnectTimeoutException is one.
    Optional<String> timedOut = connectTimedOut(cause, context);
    if (timedOut.isPresent()) {
      return timedOut;
    }
    if (find(cause, ConnectException.class) != null) {
      return Optional.of(
          context.target().isUnix()
              ? unixRefused(context.target())
              : "connection refused by "
                  + context.target()
                  + ": nothing listens there (is the server running? is the port right?)");
    }
    if (find(cause, UnknownHostException.class) != null) {
      return Optional.of("unknown host " + context.target().host() + ": the name does not resolve");
    }
    Optional<String> firstBytes = firstBytes(cause, context);
    if (firstBytes.isPresent()) {
      return firstBytes;
    }
    Optional<String> tls = tls(cause, context);
    if (tls.isPresent()) {
      return tls;
    }
    Matcher http = HTTP_STATUS.matcher(description);
    if (http.find()) {
      return Optional.of(notGrpc(description, http.group(1)));
    }
    if (description.contains("missing GRPC status") || description.contains("unexpected EOS")) {
      return Optional.of(
          "the reply ended without a grpc-status trailer: what answered is not a gRPC server,"
              + " or something in between cut the reply short");
    }
    Matcher size = SIZE.matcher(description);
    if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED && size.find()) {
      String limit = size.group(1) != null ? size.group(1) : size.group(3);
      String actual =
          size.group(2) != null ? "a message of " + size.group(2) + " bytes" : "a message";
      return Optional.of(
          actual
              + " is over the limit of "
              + limit
              + " bytes"
              + (context.headersReceived()
                  ? " (a response: raise --max-msg-size)"
                  : " (the server's limit on requests, or --max-msg-size)"));
    }
    Matcher h2 = H2_CODE.matcher(description);
    boolean resetByPeer = description.contains(RESET_BY_PEER) && h2.find();
    if (status.getCode() == Status.Code.DEADLINE_EXCEEDED && !resetByPeer) {
      String after =
          context.deadline() == null ? "" : " of " + DurationOption.format(context.deadline());
      return Optional.of(
          "the deadline"
              + after
              + " passed; "
              + (context.headersReceived()
                  ? "the server had answered with headers, so the call reached it and was slow"
                  : context.requestSent()
                      ? "no response headers had arrived though the request had gone out: the"
                          + " server, or something in front of it, was slow to answer"
                      : "no response headers had arrived, so the call may never have reached the"
                          + " server (slow connect, or a slow handler that sends headers late)")
              + resetByUs(context));
    }
    if (description.contains("GOAWAY") && h2.find()) {
      return Optional.of(
          "the server closed the connection with GOAWAY ("
              + h2.group(1)
              + ")"
              + (description.contains("unsent")
                  ? ": this call had not been sent yet, retrying is safe"
                  : ": it was restarting, draining or overloaded"));
    }
    if (resetByPeer) {
      return Optional.of(
          "the server at "
              + context.target()
              + ", or a proxy in front of it, reset the stream with HTTP/2 error code "
              + h2.group(1)
              + " (RST_STREAM received"
              + RESET_CODE_MEANINGS.getOrDefault(h2.group(1), "")
              + ")");
    }
    if (status.getCode() == Status.Code.CANCELLED
        && description.startsWith(DynamicCall.OWN_CANCEL)) {
      return Optional.of(
          "ferry call cancelled the call itself"
              + (description.isEmpty() ? "" : " (" + description + ")")
              + resetByUs(context));
    }
    if (status.getCode() == Status.Code.UNAVAILABLE
        && !context.headersReceived()
        && description.contains("Network closed")) {
      // No probe to tell why (a second connection could be mistaken for the call): a hint.
      return Optional.of(
          "the connection to "
              + context.target()
              + " closed before any answer came"
              + (context.security().tls() || context.security().detected()
                  ? ""
                  : " (if it speaks TLS, drop --plaintext: ferry detects TLS by itself)"));
    }
    return Optional.empty();
  }

  /**
   * A refused connect to a socket file that is there (checked before the call): the file's
   * permissions, else a file whose server has gone, since the kernel says the same for both.
   */
  private static String unixRefused(Target target) {
    if (!Files.isWritable(target.socket())) {
      return "permission denied on "
          + target
          + ": connecting to a Unix socket needs write permission on its file";
    }
    return "connection refused by "
        + target
        + ": no process listens on the socket (a file left by a server that ended?)";
  }

  private static Optional<String> connectTimedOut(Throwable cause, Context context) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      boolean netty = t.getClass().getSimpleName().equals("ConnectTimeoutException");
      if (netty || (t instanceof SocketTimeoutException && message.contains("onnect timed out"))) {
        Matcher m = CONNECT_TIMED_OUT.matcher(message);
        String address = m.find() ? m.group(1) : context.target().toString();
        String after =
            context.connectTimeout() == null
                ? ""
                : " after "
                    + DurationOption.format(context.connectTimeout())
                    + " (--connect-timeout)";
        return Optional.of(
            "the connection to "
                + address
                + " timed out"
                + after
                + ": nothing accepted it in time (a firewall that drops packets, a host that is"
                + " down, or a timeout too short)");
      }
    }
    return Optional.empty();
  }

  /**
   * What answered, told by the first bytes of its reply when they were not HTTP/2: an HTTP/1.x
   * status line, or a TLS record.
   */
  private static Optional<String> firstBytes(Throwable cause, Context context) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      Matcher m = FIRST_BYTES.matcher(t.getMessage() == null ? "" : t.getMessage());
      if (!m.find()) {
        continue;
      }
      String hex = m.group(1).toLowerCase(java.util.Locale.ROOT);
      Optional<String> reply = FirstBytes.describe(context.firstBytes());
      if (reply.isPresent()) {
        return Optional.of(context.target() + " " + reply.get());
      }
      if (hex.startsWith(HTTP1_REPLY)) {
        return Optional.of(
            context.target()
                + " answered in HTTP/1.x, not HTTP/2 (its reply began \"HTTP/\"): an HTTP/1.1-only"
                + " server or proxy, which answers HTTP/2's connection preface with 505 HTTP"
                + " Version Not Supported or 400; gRPC needs HTTP/2 all the way to the service");
      }
      if (!context.security().tls() && (hex.startsWith("1503") || hex.startsWith("1603"))) {
        return Optional.of(
            context.target()
                + " speaks TLS, but the call was sent in plaintext: drop --plaintext (ferry detects"
                + " TLS by itself)");
      }
      return Optional.of(
          context.target()
              + " answered with something that is not HTTP/2 (its reply began "
              + printable(hex)
              + "): not a gRPC server, or one that does not speak HTTP/2 (such as an HTTP/1.x"
              + " server answering HTTP/2's preface with an error page)");
    }
    return Optional.empty();
  }

  /** {@code "<!DOC"} for 3c21444f43; bytes that are not printable ASCII as hex. */
  private static String printable(String hex) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i + 1 < hex.length(); i += 2) {
      int b = Integer.parseInt(hex.substring(i, i + 2), 16);
      if (b < 0x20 || b > 0x7e) {
        return "0x" + hex;
      }
      text.append((char) b);
    }
    return "\"" + text + "\"";
  }

  /** The reset that grpc-java sends when ferry ends a call early, if the stream was open. */
  private static String resetByUs(Context context) {
    return context.requestSent()
        ? "; ferry call then reset the stream itself (RST_STREAM CANCEL sent to "
            + context.target()
            + ")"
        : "";
  }

  private static Optional<String> tls(Throwable cause, Context context) {
    SSLException ssl = find(cause, SSLException.class);
    if (ssl == null) {
      return Optional.empty();
    }
    // OpenSSL says "General OpenSslEngine problem"; the reason is in the causes below it.
    String message = chainMessages(ssl);
    if (ssl.getClass().getSimpleName().equals("NotSslRecordException")
        || message.contains("not an SSL/TLS record")) {
      return Optional.of(
          context.target()
              + " does not speak TLS (it answered in plaintext): use --plaintext, or leave out"
              + " the TLS flags and ferry detects it");
    }
    if (message.contains("PKIX") || message.contains("unable to find valid certification path")) {
      return Optional.of(
          "TLS handshake failed: the server's certificate is not signed by a CA ferry trusts"
              + " (give the CA with --cacert FILE, or --insecure for a test server)");
    }
    if (message.contains("subject alternative") || message.contains("No name matching")) {
      return Optional.of(
          "TLS handshake failed: the certificate is not for "
              + context.tlsName()
              + " (--authority NAME sets the name to check)");
    }
    String deepest = deepest(ssl).getMessage();
    if (ssl instanceof SSLHandshakeException) {
      return Optional.of("TLS handshake failed: " + deepest);
    }
    return Optional.of("TLS failed: " + deepest);
  }

  private static String notGrpc(String description, String httpStatus) {
    Matcher ct = CONTENT_TYPE.matcher(description);
    String contentType = ct.find() ? ct.group(1).trim() : "";
    StringBuilder line =
        new StringBuilder("the answer is not gRPC: HTTP ")
            .append(httpStatus)
            .append(contentType.isEmpty() ? "" : " with content-type " + contentType)
            .append(
                description.contains("missing content-type")
                    ? " without a content-type (gRPC replies are application/grpc)"
                    : "");
    int data = description.indexOf(DATA_MARK);
    if (data >= 0) {
      String body = description.substring(data + DATA_MARK.length());
      // grpc-java appends the trailers it got after the body.
      int trailers = body.indexOf(TRAILERS_MARK);
      body = (trailers >= 0 ? body.substring(0, trailers) : body).replaceAll("\\s+", " ").trim();
      line.append(", body: \"")
          .append(body.length() > 80 ? body.substring(0, 80) + "..." : body)
          .append('"');
    }
    line.append(
        httpStatus.equals("200")
            ? " (is this a gRPC port?)"
            : " (from something in between, a proxy or load balancer, not a gRPC server)");
    return line.toString();
  }

  private static String chainMessages(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (int depth = 0; t != null && depth < 10; t = t.getCause(), depth++) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }

  private static Throwable deepest(Throwable t) {
    for (int depth = 0; t.getCause() != null && depth < 10; depth++) {
      t = t.getCause();
    }
    return t;
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (int depth = 0; t != null && depth < 10; t = t.getCause(), depth++) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
