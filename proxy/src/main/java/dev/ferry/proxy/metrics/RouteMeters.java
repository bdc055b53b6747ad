package dev.ferry.proxy.metrics;

import io.netty.util.AsciiString;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The meters of one route: its streams open now, and its {@link MethodMeters} by method, capped so
 * that clients sending arbitrary paths cannot grow the label set without bound.
 */
public final class RouteMeters {
  /** Distinct methods per route before the rest are counted as {@code other}. */
  static final int MAX_METHODS = 256;

  private final ProxyMeters meters;
  private final String route;
  private final String cluster;
  private final LongAdder activeStreams = new LongAdder();
  private final ConcurrentMap<AsciiString, MethodMeters> methods = new ConcurrentHashMap<>();
  private volatile MethodMeters other;

  RouteMeters(ProxyMeters meters, String route, String cluster) {
    this.meters = meters;
    this.route = route;
    this.cluster = cluster;
  }

  String route() {
    return route;
  }

  String cluster() {
    return cluster;
  }

  long activeStreams() {
    return activeStreams.sum();
  }

  /** A stream of this route opened. */
  public void streamOpened() {
    activeStreams.increment();
  }

  /** A stream of this route closed. */
  public void streamClosed() {
    activeStreams.decrement();
  }

  /**
   * The meters of the call with {@code path} ({@code :path}) and HTTP {@code httpMethod}: gRPC
   * calls are counted per gRPC method, other HTTP calls per HTTP method.
   */
  public MethodMeters method(CharSequence path, CharSequence httpMethod, boolean grpc) {
    CharSequence key = grpc && path != null ? path : httpMethod == null ? "?" : httpMethod;
    AsciiString k = AsciiString.of(key);
    MethodMeters m = methods.get(k);
    if (m != null) {
      return m;
    }
    if (methods.size() >= MAX_METHODS) {
      MethodMeters o = other;
      if (o == null) {
        o = new MethodMeters(meters, route, cluster, "other");
        other = o;
      }
      return o;
    }
    String label = k.toString();
    if (grpc && label.startsWith("/")) {
      label = label.substring(1);
    }
    String l = label;
    return methods.computeIfAbsent(k, x -> new MethodMeters(meters, route, cluster, l));
  }
}
