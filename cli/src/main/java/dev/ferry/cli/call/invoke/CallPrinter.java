package dev.ferry.cli.call.invoke;

import com.google.protobuf.Message;
import io.grpc.InternalMetadata;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.PrintWriter;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Writes what happens in a call as it happens: response messages to stdout (so {@code | jq} works),
 * and with {@code -v} the headers, each message's arrival time, trailers and status to stderr.
 * Called from gRPC's threads, so every write is one synchronized block.
 */
public final class CallPrinter {
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean verbose;
  private final MessageFormat format;
  private final boolean emitDefaults;
  private long startNanos = System.nanoTime();
  private int received;

  public CallPrinter(
      PrintWriter out,
      PrintWriter err,
      boolean verbose,
      MessageFormat format,
      boolean emitDefaults) {
    this.out = out;
    this.err = err;
    this.verbose = verbose;
    this.format = format;
    this.emitDefaults = emitDefaults;
  }

  public boolean verbose() {
    return verbose;
  }

  /** One line of -v commentary. */
  public synchronized void note(String line) {
    if (verbose) {
      err.println(line);
      err.flush();
    }
  }

  /** The call starts now: times count from here (connecting and the schema are not part of it). */
  synchronized void callStarted() {
    startNanos = System.nanoTime();
  }

  /** The request headers as grpc-java's transport wrote them, in their order on the wire. */
  synchronized void requestHeaders(
      String path, String authority, SentHeadersTap.SentHeaders headers) {
    if (!verbose) {
      return;
    }
    err.println(
        "> POST "
            + path
            + " ("
            + authority
            + "), stream "
            + headers.streamId()
            + ", headers sent at "
            + elapsed());
    for (Map.Entry<String, String> header : headers.headers()) {
      err.println("> " + header.getKey() + ": " + header.getValue());
    }
    err.flush();
  }

  synchronized void requestHeadersNotSent(String path, String authority) {
    note(
        "> POST "
            + path
            + " ("
            + authority
            + "): no request headers went out, the call ended first");
  }

  synchronized void requestMessage(int n) {
    note("> request message " + n + " sent at " + elapsed());
  }

  synchronized void responseHeaders(Metadata headers) {
    if (!verbose) {
      return;
    }
    err.println("< response headers at " + elapsed());
    printMetadata("< ", headers);
    err.flush();
  }

  synchronized void responseMessage(Message message) {
    received++;
    note("< response message " + received + " at " + elapsed());
    if (format == MessageFormat.TEXT && received > 1) {
      // Text format has no delimiters of its own: a blank line keeps messages apart.
      out.println();
    }
    out.println(format.print(message, emitDefaults));
    out.flush();
  }

  synchronized void close(Status status, Metadata trailers) {
    if (!verbose) {
      return;
    }
    err.println("< trailers at " + elapsed());
    printMetadata("< ", trailers);
    err.println(
        "< status "
            + status.getCode().value()
            + " "
            + status.getCode()
            + (status.getDescription() == null ? "" : ": " + status.getDescription()));
    err.flush();
  }

  private String elapsed() {
    return String.format(Locale.ROOT, "+%.1fms", (System.nanoTime() - startNanos) / 1e6);
  }

  private void printMetadata(String prefix, Metadata metadata) {
    for (String key : metadata.keys()) {
      if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        for (byte[] v : metadata.getAll(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER))) {
          err.println(prefix + key + ": " + Base64.getEncoder().encodeToString(v));
        }
      } else {
        for (String v : metadata.getAll(textKey(key))) {
          err.println(prefix + key + ": " + v);
        }
      }
    }
  }

  /**
   * The key of a text header. grpc-java keeps the {@code :status} of a reply that was not gRPC
   * among its trailers, and its public {@code Key.of} refuses pseudo-header names.
   */
  private static Metadata.Key<String> textKey(String name) {
    return name.startsWith(":")
        ? InternalMetadata.keyOf(name, Metadata.ASCII_STRING_MARSHALLER)
        : Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }
}
