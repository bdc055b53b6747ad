package dev.ferry.proxy.transcode;

/**
 * A request the transcoder cannot turn into the method's message: what is wrong and where, for the
 * 400 the client gets.
 */
final class BadRequest extends Exception {
  BadRequest(String message) {
    super(message, null, false, false);
  }
}
