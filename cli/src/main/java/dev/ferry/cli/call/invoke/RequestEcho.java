package dev.ferry.cli.call.invoke;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Shows the request side of one call with {@code -v}: its headers as grpc-java's transport wrote
 * them, then its messages, in the order they went out. Without a {@link SentHeadersTap} it only
 * numbers the messages as they are handed to grpc-java.
 *
 * <p>grpc-java flushes a streaming call's headers as the call starts, but holds a unary or
 * server-streaming call's headers back until its one message is sent and half-closed, and writes
 * them together. So for those the message lines are printed with the headers, on the transport's
 * thread, before any answer can be read and printed.
 */
final class RequestEcho {
  private final CallPrinter printer;
  private final SentHeadersTap.Expected headers;
  private final boolean headersGoWithTheMessage;
  private final String path;
  private final String authority;
  private int handedOver; // guarded by this
  private int shown; // guarded by this
  private boolean written; // guarded by this

  /**
   * Starts watching for the headers of the call to {@code path}; call before the call starts.
   *
   * @param tap null when the request side is not shown
   */
  RequestEcho(
      SentHeadersTap tap,
      CallPrinter printer,
      String path,
      String authority,
      boolean clientStreaming) {
    this.printer = printer;
    this.path = path;
    this.authority = authority;
    this.headersGoWithTheMessage = !clientStreaming;
    this.headers = tap == null ? null : tap.expect(path, this::written);
  }

  private synchronized void written(SentHeadersTap.SentHeaders sent) {
    written = true;
    printer.requestHeaders(path, authority, sent);
    if (headersGoWithTheMessage) {
      showHandedOver();
    }
  }

  /** A request message was handed to grpc-java. */
  synchronized void messageSent() {
    handedOver++;
    if (headers == null || written) {
      showHandedOver();
    }
  }

  private void showHandedOver() {
    while (shown < handedOver) {
      printer.requestMessage(++shown);
    }
  }

  /**
   * Waits until the headers are written or the call ends: a streaming call's before its first
   * message, a unary call's after its half-close. Says so when nothing went out.
   */
  void awaitHeaders(CompletableFuture<CallResult> done) throws InterruptedException {
    if (headers == null) {
      return;
    }
    try {
      CompletableFuture.anyOf(headers.sent(), done).get();
    } catch (ExecutionException e) {
      // Neither fails: the call's end is a CallResult.
    }
    if (!headers.sent().isDone() && headers.giveUp()) {
      printer.requestHeadersNotSent(path, authority);
      return;
    }
    try {
      headers.sent().get(); // written meanwhile: wait until they are printed
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Stops watching: a call that failed before its headers went out. */
  void close() {
    if (headers != null) {
      headers.giveUp();
    }
  }
}
