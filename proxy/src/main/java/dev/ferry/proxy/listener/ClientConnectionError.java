package dev.ferry.proxy.listener;

import dev.ferry.proxy.connectionlog.ConnectionEvent;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;

/**
 * What a connection error caused by the client says about it, for the connection log: its kind
 * (told by where it happened, its error code, and the header blocks the client sent, never by the
 * exception's text) and the line a person reads.
 */
record ClientConnectionError(ConnectionEvent event, String detail) {

  /**
   * @param outbound whether the error happened while writing, not reading the client's frames
   * @param prefaceReceived whether the client's HTTP/2 preface had arrived whole
   * @param headerListLimit the listener's max header list size, in bytes
   * @param largestHeaderBlock the largest header block the client sent ({@link HeaderBlockMeter})
   */
  static ClientConnectionError of(
      Http2Exception e,
      boolean outbound,
      boolean prefaceReceived,
      long headerListLimit,
      long largestHeaderBlock) {
    String what = e.getMessage() == null ? e.error().toString() : e.getMessage();
    if (!outbound && !prefaceReceived) {
      return new ClientConnectionError(
          ConnectionEvent.BAD_PREFACE,
          "closing: the client's first bytes are no HTTP/2 preface: " + what);
    }
    // Netty answers a header block over the limit with 431 on its stream, but one a quarter
    // over it ends the whole connection with PROTOCOL_ERROR: it is read before any stream exists.
    long closesAbove = Http2CodecUtil.calculateMaxHeaderListSizeGoAway(headerListLimit);
    if (!outbound && e.error() == Http2Error.PROTOCOL_ERROR && largestHeaderBlock > closesAbove) {
      return new ClientConnectionError(
          ConnectionEvent.ABUSE_LIMIT,
          "closing abusive connection: header list over the limit of "
              + headerListLimit
              + " bytes: a header block of "
              + largestHeaderBlock
              + " bytes (compressed, as much as had arrived; a block over "
              + closesAbove
              + " bytes closes the connection, a smaller one gets 431)");
    }
    // The flood guard's errors and Netty's own abuse checks (rapid reset, CONTINUATION and empty
    // DATA floods, a client that reads none of our control frames) all end with this code.
    if (e.error() == Http2Error.ENHANCE_YOUR_CALM) {
      return new ClientConnectionError(
          ConnectionEvent.ABUSE_LIMIT, "closing abusive connection: " + what);
    }
    return new ClientConnectionError(
        ConnectionEvent.PROTOCOL_ERROR, "closing on a protocol error (" + e.error() + "): " + what);
  }
}
