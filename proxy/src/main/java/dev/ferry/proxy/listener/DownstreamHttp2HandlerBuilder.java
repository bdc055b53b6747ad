package dev.ferry.proxy.listener;

import dev.ferry.proxy.call.Worker;
import dev.ferry.proxy.config.ListenerLimits;
import dev.ferry.proxy.limits.Http2FloodGuard;
import dev.ferry.proxy.route.RouteTable;
import dev.ferry.proxy.transport.Http2Tuning;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * Builds a {@link DownstreamHttp2Handler} the way Netty's codec wants (the frame listener set
 * inside build), with the checks and limits a client's HTTP/2 connection is held to: malformed
 * requests, stream states, rapid reset, CONTINUATION and empty-DATA floods, unread control frames.
 */
final class DownstreamHttp2HandlerBuilder
    extends AbstractHttp2ConnectionHandlerBuilder<
        DownstreamHttp2Handler, DownstreamHttp2HandlerBuilder> {
  private final Worker worker;
  private final RouteTable routes;
  private final ListenerLimits limits;
  private final StreamStateGuard streamStates;

  DownstreamHttp2HandlerBuilder(Worker worker, RouteTable routes, ListenerLimits limits) {
    this.worker = worker;
    this.routes = routes;
    this.limits = limits;
    Http2Connection connection = Http2Tuning.newConnection(true); // its role: server
    connection(connection);
    // RFC 9113 8.3.1: a request without :method, :scheme or :path is malformed, and a proxy must
    // not forward it (8.1.1); Netty resets its stream with PROTOCOL_ERROR.
    validateRequiredPseudoHeaders(true);
    // HEADERS on streams that cannot take them get the errors RFC 9113 5.1 asks for.
    streamStates = new StreamStateGuard(connection);
    frameLogger(streamStates);
    // CVE-2023-44487: a client resetting streams faster than this gets GOAWAY, and at most this
    // many calls' worth of upstream streams per window before it does.
    decoderEnforceMaxRstFramesPerWindow(
        limits.maxResets(), (int) ListenerLimits.FLOOD_WINDOW.toSeconds());
    // CONTINUATION flood (2024): header blocks split into many tiny frames.
    decoderEnforceMaxSmallContinuationFrames(16);
    // Several empty DATA frames in a row are a flood: no client has a reason to send them.
    decoderEnforceMaxConsecutiveEmptyDataFrames(2);
    // Replies (PING and SETTINGS acks) to a client that does not read are capped.
    encoderEnforceMaxQueuedControlFrames(10_000);
  }

  @Override
  protected DownstreamHttp2Handler build() {
    return super.build();
  }

  @Override
  protected DownstreamHttp2HandlerBuilder initialSettings(Http2Settings settings) {
    return super.initialSettings(settings);
  }

  @Override
  protected DownstreamHttp2Handler build(
      Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
    DownstreamHttp2Handler h =
        new DownstreamHttp2Handler(decoder, encoder, settings, worker, routes);
    streamStates.resetsThrough(h);
    frameListener(new Http2FloodGuard(h.frames(), limits, System::nanoTime));
    return h;
  }
}
