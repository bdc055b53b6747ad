package dev.ferry.proxy.trace;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one direction's byte stream into HTTP/2 frames and decodes each with Netty's {@link
 * DefaultHttp2FrameReader}. HPACK state is per direction, so each direction has its own reader and
 * so its own decoder. Frames are split here, before the reader sees them, so that every callback
 * knows the raw header of its frame and so that CONTINUATION frames, which the reader folds into
 * one {@code onHeadersRead}, can still be counted.
 */
final class Http2DirectionParser {
  /** Large enough to see (and report) header lists far over any peer's limit. */
  private static final long MAX_DECODED_HEADER_LIST = 1L << 20;

  private final DefaultHttp2HeadersDecoder headersDecoder =
      new DefaultHttp2HeadersDecoder(false, MAX_DECODED_HEADER_LIST);
  private final DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader(headersDecoder);
  private final Http2FrameListener listener;
  private FrameInfo current;
  private int continuations;
  private int headerBlockBytes;
  private int headerBlockType;
  private int headerBlockFlags;

  /** The receiver's SETTINGS_MAX_FRAME_SIZE: frames over it are a FRAME_SIZE_ERROR. */
  private int maxFrameSize = Http2CodecUtil.DEFAULT_MAX_FRAME_SIZE;

  Http2DirectionParser(Http2FrameListener listener) {
    this.listener = listener;
    try {
      // The size check is ours (against the peer's setting), so the reader must accept any size.
      reader.maxFrameSize(Http2CodecUtil.MAX_FRAME_SIZE_UPPER_BOUND);
    } catch (Http2Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The frame whose callback is running. */
  FrameInfo current() {
    return current;
  }

  /**
   * Applies the receiver's SETTINGS_MAX_FRAME_SIZE. As with the header table, only growth is
   * applied at once: the sender may use the old size until it has seen the new one.
   */
  void maxFrameSize(long size) {
    if (size > maxFrameSize && size <= Http2CodecUtil.MAX_FRAME_SIZE_UPPER_BOUND) {
      maxFrameSize = (int) size;
    }
  }

  /**
   * Applies the receiver's SETTINGS_HEADER_TABLE_SIZE. Only growth is applied at once: the sender
   * may keep using the old, larger size until it has seen a smaller one.
   */
  void maxHeaderTableSize(long size) {
    try {
      if (size > headersDecoder.maxHeaderTableSize()) {
        headersDecoder.maxHeaderTableSize(size);
      }
    } catch (Http2Exception e) {
      // An out-of-range setting is the peer's error, shown with the SETTINGS frame itself.
    }
  }

  /**
   * Decodes every complete frame in {@code cumulation}, leaving a partial one for the next call.
   *
   * @throws Http2Exception when the bytes are not valid HTTP/2; the caller stops parsing
   */
  void decode(ChannelHandlerContext ctx, ByteBuf cumulation) throws Http2Exception {
    while (cumulation.readableBytes() >= Http2CodecUtil.FRAME_HEADER_LENGTH) {
      int start = cumulation.readerIndex();
      int length = cumulation.getUnsignedMedium(start);
      int type = cumulation.getUnsignedByte(start + 3);
      int flags = cumulation.getUnsignedByte(start + 4);
      int streamId = cumulation.getInt(start + 5) & Integer.MAX_VALUE;
      if (length > maxFrameSize) {
        throw Http2Exception.connectionError(
            io.netty.handler.codec.http2.Http2Error.FRAME_SIZE_ERROR,
            "%s frame of %d bytes on stream %d is over the receiver's SETTINGS_MAX_FRAME_SIZE %d",
            Http2Names.frameType(type),
            length,
            streamId,
            maxFrameSize);
      }
      if (cumulation.readableBytes() < Http2CodecUtil.FRAME_HEADER_LENGTH + length) {
        return;
      }
      trackHeaderBlock(type, flags, length);
      // Netty calls back on the last CONTINUATION; show the block as the frame that began it.
      boolean folded = type == 0x9;
      current =
          new FrameInfo(
              length,
              folded ? headerBlockType : type,
              folded ? headerBlockFlags | (flags & 0x4) : flags,
              streamId,
              continuations,
              headerBlockBytes,
              type == 0x4 ? settingsInWireOrder(cumulation, start, length) : List.of());
      ByteBuf frame = cumulation.readSlice(Http2CodecUtil.FRAME_HEADER_LENGTH + length);
      try {
        reader.readFrame(ctx, frame, listener);
      } catch (Http2Exception e) {
        throw Http2Exception.connectionError(
            e.error(),
            e,
            "%s frame on stream %d, %d bytes: %s",
            Http2Names.frameType(type),
            streamId,
            length,
            e.getMessage());
      }
    }
  }

  /** Http2Settings is a hash map; the frame lists settings in an order worth keeping. */
  private static List<long[]> settingsInWireOrder(ByteBuf in, int start, int length) {
    List<long[]> settings = new ArrayList<>();
    for (int i = 0; i + 6 <= length; i += 6) {
      int at = start + Http2CodecUtil.FRAME_HEADER_LENGTH + i;
      settings.add(new long[] {in.getUnsignedShort(at), in.getUnsignedInt(at + 2)});
    }
    return settings;
  }

  private void trackHeaderBlock(int type, int flags, int length) {
    if (type == 0x1 || type == 0x5) {
      headerBlockType = type;
      headerBlockFlags = flags;
      continuations = 0;
      headerBlockBytes = length;
    } else if (type == 0x9) {
      continuations++;
      headerBlockBytes += length;
    }
  }

  void close() {
    reader.close();
  }
}
