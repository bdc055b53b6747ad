package dev.ferry.proxy.trace;

/**
 * The 9-byte header of the frame being decoded, kept because Netty's listener callbacks do not pass
 * the raw type, flags and length.
 *
 * @param length the payload length
 * @param type the frame type byte
 * @param flags the flags byte
 * @param streamId the stream identifier
 * @param foldedContinuations how many CONTINUATION frames Netty folded into this header block
 * @param headerBlockBytes the header block's size over all its frames
 * @param settings a SETTINGS frame's (identifier, value) pairs in wire order, else empty
 */
record FrameInfo(
    int length,
    int type,
    int flags,
    int streamId,
    int foldedContinuations,
    int headerBlockBytes,
    java.util.List<long[]> settings) {}
