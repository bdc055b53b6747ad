package dev.ferry.proxy.connect;

import dev.ferry.proxy.schema.ClusterSchemas;
import dev.ferry.proxy.transport.CallOpener;
import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.transport.StreamHandler;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * Turns a Connect request into a gRPC call at the edge. The binary stream ({@code
 * application/connect+proto}) needs only new headers: its envelopes are gRPC frames. Every other
 * form is read whole first ({@link ConnectRequestHandler}), and its answer is held ({@link
 * ConnectUnaryDownstream}) or converted as it streams ({@link ConnectStreamDownstream}).
 */
public final class ConnectBridge {
  /** The body limit of a route without {@code max_request_message_size}: gRPC's default. */
  static final int DEFAULT_MAX_BODY = 4 << 20;

  private final ConnectRequest request;

  private ConnectBridge(ConnectRequest request) {
    this.request = request;
  }

  /**
   * The bridge for {@code headers} when they are a Connect request (a content type of Connect's, or
   * a GET with its query), else null. Reads only; {@link #open} rewrites.
   */
  public static ConnectBridge read(Http2Headers headers) {
    return ConnectRequest.looksLike(headers)
        ? new ConnectBridge(ConnectRequest.read(headers))
        : null;
  }

  /** The headers to match routes with: a GET's path without its query, since routes name paths. */
  public Http2Headers routingHeaders(Http2Headers headers) {
    if (request.get() == null) {
      return headers;
    }
    CharSequence path = headers.path();
    return new DefaultHttp2Headers(false)
        .add(headers)
        .path(path.subSequence(0, path.toString().indexOf('?')));
  }

  /**
   * Opens the gRPC call for this request, rewriting {@code headers} into the call's, and returns
   * what serves the client's stream.
   *
   * @param schemas where a JSON call finds its method's schema: the route's cluster; null when the
   *     call has no cluster (it then ends with ferry's own answer)
   * @param maxRequestMessageBytes the route's limit, 0 for none
   */
  public StreamHandler open(
      Downstream down,
      int streamId,
      Http2Headers headers,
      boolean endStream,
      ClusterSchemas schemas,
      int maxRequestMessageBytes,
      CallOpener calls) {
    request.toGrpc(headers);
    if (request.streaming() && request.codec() == ConnectCodec.PROTO && request.refusal() == null) {
      ConnectDownstream answer = new ConnectStreamDownstream(down, ConnectCodec.PROTO, false);
      return calls.open(answer, streamId, headers, endStream);
    }
    ConnectDownstream answer =
        request.streaming()
            ? new ConnectStreamDownstream(down, request.codec(), true)
            : new ConnectUnaryDownstream(down, request.codec(), true);
    // The call's body comes from the handler, once it is whole and converted.
    StreamHandler call = calls.open(answer, streamId, headers, false);
    int maxBody = maxRequestMessageBytes > 0 ? maxRequestMessageBytes : DEFAULT_MAX_BODY;
    return new ConnectRequestHandler(
        call, answer, request, schemas, down, streamId, endStream, maxBody);
  }
}
