package dev.ferry.proxy.call;

import dev.ferry.proxy.accesslog.AccessLogEntry;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.transport.Downstream;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.concurrent.TimeUnit;

/**
 * What a call noted about itself for the access log: the request line, statuses, endpoint, bytes
 * and timing. Kept as plain fields, turned into an entry only when a log wants it.
 */
final class CallRecord {
  final long startNanos = System.nanoTime();
  private final CharSequence method;
  private final CharSequence path;
  private final CharSequence authority;
  int httpStatus;
  int grpcStatus = -1;
  String upstream;
  LocalReplyReason localReply;
  long bytesIn;
  long bytesOut;

  CallRecord(Http2Headers request) {
    // Kept before any header rule rewrites the request.
    this.method = request.method();
    this.path = request.path();
    this.authority = request.authority();
  }

  CharSequence path() {
    return path;
  }

  CharSequence method() {
    return method;
  }

  AccessLogEntry toEntry(Downstream down, boolean grpc) {
    long took = System.nanoTime() - startNanos;
    return new AccessLogEntry(
        System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(took),
        down.remoteAddress(),
        str(method),
        str(path),
        str(authority),
        down.protocol(),
        grpc,
        httpStatus,
        grpcStatus,
        upstream,
        localReply == null ? null : localReply.wireName(),
        bytesIn,
        bytesOut,
        took,
        down.clientSubject());
  }

  private static String str(CharSequence s) {
    return s == null ? null : s.toString();
  }
}
