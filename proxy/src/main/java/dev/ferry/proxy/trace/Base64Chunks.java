package dev.ferry.proxy.trace;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Decodes one direction of a gRPC-Web text body (application/grpc-web-text): base64 cut into pieces
 * anywhere, and each 4-character group may end in padding, since a sender may flush (and pad) after
 * any piece. Holds back the characters of an unfinished group until the next piece.
 */
final class Base64Chunks {
  private final StringBuilder pending = new StringBuilder(4);

  /**
   * The bytes that {@code text}'s characters complete (the caller keeps owning {@code text}).
   *
   * @throws IllegalArgumentException at a character that is not base64
   */
  ByteBuf decode(ByteBuf text) {
    pending.append(text.toString(StandardCharsets.US_ASCII));
    int whole = pending.length() / 4 * 4;
    ByteBuf out = Unpooled.buffer(whole / 4 * 3);
    for (int i = 0; i < whole; i += 4) {
      out.writeBytes(Base64.getDecoder().decode(pending.substring(i, i + 4)));
    }
    pending.delete(0, whole);
    return out;
  }

  /** Whether characters of an unfinished group are held: the body ended in mid-group. */
  boolean hasPartialGroup() {
    return pending.length() > 0;
  }
}
