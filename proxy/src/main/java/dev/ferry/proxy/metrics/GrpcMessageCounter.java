package dev.ferry.proxy.metrics;

import dev.ferry.proxy.grpc.GrpcMessageScanner;
import io.netty.buffer.ByteBuf;

/**
 * Counts the gRPC messages in one direction of one call as its bytes pass, without copying or
 * consuming them: the scanner reads each message's 5-byte prefix and skips the body, so a buffer
 * costs a few byte reads per message whatever its size.
 */
public final class GrpcMessageCounter {
  private long messages;
  private final GrpcMessageScanner scanner =
      new GrpcMessageScanner(
          (compressed, length) -> {
            messages++;
            return true;
          });

  /**
   * Counts the messages that start in {@code data}'s readable bytes; its indexes stay as they are.
   */
  public void add(ByteBuf data) {
    scanner.scan(data);
  }

  /** Whether a message has begun and not ended: a body that ends now ends in mid-message. */
  public boolean inMessage() {
    return scanner.inMessage();
  }

  /** Messages whose prefix has passed so far. */
  public long messages() {
    return messages;
  }
}
