package dev.ferry.proxy.healthcheck;

import dev.ferry.proxy.config.HealthCheckConfig;
import dev.ferry.proxy.grpc.GrpcMessageReader;
import dev.ferry.proxy.grpc.GrpcMessageScanner;
import dev.ferry.proxy.upstream.ConnectCallback;
import dev.ferry.proxy.upstream.Upstream;
import dev.ferry.proxy.upstream.UpstreamEndpoint;
import dev.ferry.proxy.upstream.UpstreamFailure;
import dev.ferry.proxy.upstream.UpstreamListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One health check of one endpoint, over the proxy's own upstream connections from the endpoint's
 * pool on this loop: grpc.health.v1.Health/Check for gRPC, {@code GET path} for HTTP/1.1. It
 * reports once, {@code null} for a pass or why it failed.
 */
final class HealthProbe implements ConnectCallback, UpstreamListener {
  static final String CHECK_PATH = "/grpc.health.v1.Health/Check";

  /** A health answer is a few bytes; more than this is not one. */
  private static final int MAX_MESSAGE = 1024;

  private static final String[] STATUS_NAMES = {
    "UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"
  };

  private final UpstreamEndpoint endpoint;
  private final EventLoop loop;
  private final HealthCheckConfig config;
  private final boolean grpc;
  private final Consumer<String> done;
  private Upstream up;
  private int streamId = -1;
  private ScheduledFuture<?> timer;
  private boolean finished;
  private int httpStatus;
  private final GrpcMessageReader body = new GrpcMessageReader(MAX_MESSAGE);
  private long bodyBytes;

  HealthProbe(
      UpstreamEndpoint endpoint,
      EventLoop loop,
      HealthCheckConfig config,
      boolean grpc,
      Consumer<String> done) {
    this.endpoint = endpoint;
    this.loop = loop;
    this.config = config;
    this.grpc = grpc;
    this.done = done;
  }

  /** Starts the check; on the endpoint's loop. */
  void start() {
    long ms = config.timeout().toMillis();
    timer = loop.schedule(() -> finish("no answer within " + ms + "ms"), ms, TimeUnit.MILLISECONDS);
    endpoint.acquire(this);
  }

  @Override
  public void onUpstreamReady(Upstream u) {
    if (finished) {
      return;
    }
    int id = u.open(headers(), !grpc, this);
    if (id < 0) {
      finish("no connection to " + endpoint.name() + " takes another stream");
      return;
    }
    up = u;
    streamId = id;
    if (grpc) {
      u.writeData(
          id,
          GrpcHealthMessages.request(ByteBufAllocator.DEFAULT, config.service()),
          true,
          f -> {});
    }
  }

  private Http2Headers headers() {
    String authority = config.authority() != null ? config.authority() : endpoint.name();
    Http2Headers h =
        new DefaultHttp2Headers()
            .method(grpc ? "POST" : "GET")
            .scheme("http")
            .path(grpc ? CHECK_PATH : config.path())
            .authority(authority);
    if (grpc) {
      h.add("content-type", "application/grpc")
          .add("te", "trailers")
          .add("grpc-timeout", config.timeout().toMillis() + "m");
    }
    return h.add("user-agent", "ferry-health-check");
  }

  @Override
  public void onConnectFailed(UpstreamFailure failure) {
    finish(failure.detail());
  }

  @Override
  public void onResponseHeaders(Http2Headers headers, boolean endStream) {
    if (finished) {
      return;
    }
    if (httpStatus == 0) {
      CharSequence s = headers.status();
      httpStatus = s == null ? -1 : parse(s);
      if (httpStatus >= 100 && httpStatus < 200 && !endStream) {
        httpStatus = 0; // informational: the real answer follows
        return;
      }
    }
    if (endStream) {
      complete(headers);
    }
  }

  @Override
  public void onResponseData(ByteBuf data, boolean endStream) {
    int n = data.readableBytes();
    try {
      if (finished) {
        return;
      }
      if (bodyBytes < GrpcMessageScanner.PREFIX_LENGTH + MAX_MESSAGE) {
        body.add(data); // past that, the answer is in hand or was too large: nothing more to read
      }
      bodyBytes += n;
    } finally {
      data.release();
      if (up != null) {
        up.consume(streamId, n);
      }
    }
    if (endStream) {
      complete(null);
    }
  }

  @Override
  public void onUpstreamFailed(UpstreamFailure failure) {
    streamId = -1; // the stream is gone: nothing to reset
    finish(failure.detail());
  }

  /** The response ended, with {@code trailers} (or none, after a body's end). */
  private void complete(Http2Headers trailers) {
    streamId = -1;
    if (!grpc) {
      finish(
          httpStatus >= 200 && httpStatus < 300
              ? null
              : "GET " + config.path() + " answered HTTP " + httpStatus);
      return;
    }
    if (httpStatus != 200) {
      finish("health check answered HTTP " + httpStatus);
      return;
    }
    CharSequence gs = trailers == null ? null : trailers.get("grpc-status");
    if (gs == null || !"0".contentEquals(gs)) {
      CharSequence msg = trailers == null ? null : trailers.get("grpc-message");
      finish(
          "health check ended with grpc-status "
              + gs
              + (msg == null || msg.length() == 0 ? "" : " (" + msg + ")"));
      return;
    }
    int status = GrpcHealthMessages.status(firstMessage());
    if (status == GrpcHealthMessages.SERVING) {
      finish(null);
    } else if (status == GrpcHealthMessages.MALFORMED) {
      finish("health check answer is not a HealthCheckResponse");
    } else {
      String name = status < STATUS_NAMES.length ? STATUS_NAMES[status] : "status " + status;
      finish(
          "health status "
              + name
              + (config.service().isEmpty() ? "" : " for service " + config.service()));
    }
  }

  /** The answer's message, or {@code null} when there is none or it cannot be read. */
  private byte[] firstMessage() {
    try {
      return body.next();
    } catch (IllegalArgumentException e) {
      return null; // compressed (ferry never asks for it) or too large to be a health answer
    }
  }

  private void finish(String failure) {
    if (finished) {
      return;
    }
    finished = true;
    if (timer != null) {
      timer.cancel(false);
    }
    if (up != null && streamId >= 0) {
      up.reset(streamId, Http2Error.CANCEL);
      streamId = -1;
    }
    done.accept(failure);
  }

  private static int parse(CharSequence s) {
    try {
      return Integer.parseInt(s.toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
