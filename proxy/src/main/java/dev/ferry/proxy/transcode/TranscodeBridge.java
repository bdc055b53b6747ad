package dev.ferry.proxy.transcode;

import dev.ferry.proxy.transport.CallOpener;
import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.transport.StreamHandler;
import dev.ferry.proxy.upstream.UpstreamCluster;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Turns a plain HTTP request that fits a method's {@code google.api.http} rule into a gRPC call to
 * that method, at the edge, so that it is routed, admitted and retried like any gRPC call. The
 * rules come from the server reflection of the clusters the listener's routes reach. A request that
 * fits no rule is served as if the bridge were not there.
 */
public final class TranscodeBridge {
  /** The body limit of a route without {@code max_request_message_size}: gRPC's default. */
  static final int DEFAULT_MAX_BODY = 4 << 20;

  private TranscodeBridge() {}

  /**
   * Whether a request that is not gRPC could fit a rule: it has a method and a path, and no body or
   * a JSON one (Connect's binary forms, forms and the like never do, so they pay nothing).
   */
  public static boolean mayFit(Http2Headers headers) {
    if (headers.method() == null || headers.path() == null) {
      return false;
    }
    CharSequence ct = headers.get("content-type");
    return ct == null || AsciiString.regionMatches(ct, true, 0, "application/json", 0, 16);
  }

  /**
   * What serves the plain HTTP stream {@code streamId}: the transcoded call when a rule fits, else
   * what {@code untouched} makes; when the rules must be asked for first, a stream that waits for
   * them.
   *
   * @param rules this event loop's rule tables
   * @param clusters the gRPC clusters the listener's routes reach, in route order
   * @param maxRequestBytes the request-message limit of the route the gRPC call's headers match (0
   *     for none)
   * @param calls opens the gRPC call
   * @param untouched serves the request as it is: today's behaviour when no rule fits
   */
  public static StreamHandler open(
      HttpRuleRegistry rules,
      List<UpstreamCluster> clusters,
      Downstream down,
      int streamId,
      Http2Headers headers,
      boolean endStream,
      ToIntFunction<Http2Headers> maxRequestBytes,
      CallOpener calls,
      Supplier<StreamHandler> untouched) {
    List<ClusterRules> tables = new ArrayList<>(clusters.size());
    for (UpstreamCluster c : clusters) {
      tables.add(rules.of(c));
    }
    String pathAndQuery = headers.path().toString();
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
    Transcoded transcoded =
        new Transcoded(down, streamId, headers, endStream, query, maxRequestBytes, calls);
    HeldStream held = new HeldStream();
    RuleMatch m =
        RuleLookup.find(
            tables,
            headers.method().toString(),
            path,
            later -> held.decide(() -> later != null ? transcoded.open(later) : untouched.get()));
    if (m == RuleLookup.ASKING) {
      return held;
    }
    return m != null ? transcoded.open(m) : untouched.get();
  }

  /** What a fitting request becomes. */
  private record Transcoded(
      Downstream down,
      int streamId,
      Http2Headers headers,
      boolean endStream,
      String query,
      ToIntFunction<Http2Headers> maxRequestBytes,
      CallOpener calls) {
    StreamHandler open(RuleMatch m) {
      Map<String, List<String>> params = QueryParams.parse(query);
      headers.method("POST");
      headers.path("/" + m.binding().method().name());
      headers.remove("content-length");
      headers.remove("content-encoding");
      headers.remove("accept-encoding");
      headers.set("content-type", "application/grpc");
      headers.set("te", "trailers");
      int limit = maxRequestBytes.applyAsInt(headers);
      TranscodeDownstream answer =
          m.binding().method().serverStreaming()
              ? new StreamJsonDownstream(down, m.binding())
              : new UnaryJsonDownstream(down, m.binding());
      // The call's body comes from the handler, once it is whole and converted.
      StreamHandler call = calls.open(answer, streamId, headers, false);
      return new TranscodeRequestHandler(
          call, m, params, down, streamId, endStream, limit > 0 ? limit : DEFAULT_MAX_BODY);
    }
  }
}
