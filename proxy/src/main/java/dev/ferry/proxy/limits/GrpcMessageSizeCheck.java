package dev.ferry.proxy.limits;

import dev.ferry.proxy.grpc.GrpcMessageScanner;
import io.netty.buffer.ByteBuf;

/**
 * Follows the gRPC length prefixes of a request body as it passes, without copying or consuming it,
 * and says when a message announces more than the limit: the proxy refuses it before forwarding any
 * of it, as gRPC servers answer RESOURCE_EXHAUSTED themselves.
 */
public final class GrpcMessageSizeCheck {
  private final int maxBytes;
  private final GrpcMessageScanner scanner;
  private long offendingSize = -1;

  public GrpcMessageSizeCheck(int maxBytes) {
    this.maxBytes = maxBytes;
    this.scanner =
        new GrpcMessageScanner(
            (compressed, length) -> {
              if (length > maxBytes) {
                offendingSize = length;
                return false; // the call ends here: nothing after this prefix matters
              }
              return true;
            });
  }

  /**
   * Reads {@code data}'s prefixes (its indexes unchanged); whether a message so far is too large.
   */
  public boolean exceeds(ByteBuf data) {
    scanner.scan(data);
    return offendingSize >= 0;
  }

  /** The announced size of the message that was too large. */
  public long offendingSize() {
    return offendingSize;
  }

  public int maxBytes() {
    return maxBytes;
  }
}
