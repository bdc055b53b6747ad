package dev.ferry.proxy.listener;

import io.netty.buffer.ByteBuf;

/**
 * Measures the header blocks (a HEADERS frame and its CONTINUATIONs) a client sends, from the raw
 * bytes before the HTTP/2 codec reads them. A block far over the header list limit makes the codec
 * close the connection with a bare PROTOCOL_ERROR, before any stream exists; this is how the log
 * can still say that an abuse limit was hit, and the size seen.
 *
 * <p>It only reads frame headers (9 bytes per frame) and skips payloads, so it costs a few
 * operations per frame.
 */
final class HeaderBlockMeter {
  /** RFC 9113 3.4: the client's connection preface comes before the first frame. */
  private static final int PREFACE_LENGTH = 24;

  private static final int FRAME_HEADER_LENGTH = 9;
  private static final int HEADERS = 0x1;
  private static final int CONTINUATION = 0x9;
  private static final int END_HEADERS = 0x4;

  private final byte[] frameHeader = new byte[FRAME_HEADER_LENGTH];
  private int prefaceLeft = PREFACE_LENGTH;
  private int frameHeaderFilled;
  private long payloadLeft;
  private boolean inBlock;
  private long block;
  private long largest;

  /** Reads what the client sent next, without consuming it. */
  void read(ByteBuf in) {
    int i = in.readerIndex();
    int end = in.writerIndex();
    while (i < end) {
      if (prefaceLeft > 0) {
        int n = Math.min(prefaceLeft, end - i);
        prefaceLeft -= n;
        i += n;
      } else if (payloadLeft > 0) {
        int n = (int) Math.min(payloadLeft, end - i);
        payloadLeft -= n;
        i += n;
      } else if (frameHeaderFilled == 0 && end - i >= FRAME_HEADER_LENGTH) {
        // The usual case, a whole frame header in one read: three reads instead of nine.
        frameStarts(in.getUnsignedMedium(i), in.getByte(i + 3), in.getByte(i + 4));
        i += FRAME_HEADER_LENGTH;
      } else {
        frameHeader[frameHeaderFilled++] = in.getByte(i++);
        if (frameHeaderFilled == FRAME_HEADER_LENGTH) {
          frameHeaderFilled = 0;
          frameStarts(
              (frameHeader[0] & 0xff) << 16
                  | (frameHeader[1] & 0xff) << 8
                  | (frameHeader[2] & 0xff),
              frameHeader[3],
              frameHeader[4]);
        }
      }
    }
  }

  private void frameStarts(int length, byte typeByte, byte flags) {
    int type = typeByte & 0xff;
    boolean endHeaders = (flags & END_HEADERS) != 0;
    if (type == HEADERS) {
      block = length;
      inBlock = !endHeaders;
    } else if (type == CONTINUATION && inBlock) {
      block += length;
      inBlock = !endHeaders;
    }
    largest = Math.max(largest, block);
    payloadLeft = length;
  }

  /** The bytes of the largest header block the client has sent so far, as far as it arrived. */
  long largestBlock() {
    return largest;
  }
}
