package dev.ferry.proxy.trace;

/**
 * Turns a gRPC message into JSON when its schema is known (a protoset, server reflection). The
 * proxy module knows no schemas; the command line supplies one.
 */
@FunctionalInterface
public interface MessageDecoder {
  /** A decoder that knows no schema. */
  MessageDecoder NONE = (path, direction, message) -> null;

  /**
   * The message as one line of JSON, or {@code null} when the method or its types are unknown or
   * the bytes do not parse.
   *
   * @param path the call's {@code :path}, such as {@code /helloworld.Greeter/SayHello}
   * @param direction {@link Direction#CLIENT_TO_SERVER} for requests, the other for responses
   * @param message the message bytes, already decompressed
   */
  String toJson(String path, Direction direction, byte[] message);
}
