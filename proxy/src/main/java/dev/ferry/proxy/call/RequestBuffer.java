package dev.ferry.proxy.call;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The request body a call holds: what waits for the backend stream to open, and copies of what was
 * sent, kept until the backend answers so that a refused call (REFUSED_STREAM, GOAWAY) can be
 * replayed on another connection. The copies are bounded; past the bound the call is no longer
 * replayable.
 */
final class RequestBuffer {
  /** The most request bytes kept for a replay: enough for unary calls, bounded for streams. */
  static final int REPLAY_LIMIT = 64 << 10;

  private ArrayDeque<ByteBuf> pending;
  private List<ByteBuf> sent;
  private int sentBytes;
  private boolean replayable = true;

  /** Holds {@code data} (owned) until the backend stream opens. */
  void hold(ByteBuf data) {
    if (pending == null) {
      pending = new ArrayDeque<>(4);
    }
    pending.add(data);
  }

  boolean hasPending() {
    return pending != null && !pending.isEmpty();
  }

  /** The next held buffer, now the caller's, or {@code null}. */
  ByteBuf pollPending() {
    return pending == null ? null : pending.poll();
  }

  /** Notes that {@code data} is being sent upstream: keeps a copy while a replay is possible. */
  void sending(ByteBuf data) {
    if (!replayable) {
      return;
    }
    if (sentBytes + data.readableBytes() > REPLAY_LIMIT) {
      stopReplay();
      return;
    }
    if (sent == null) {
      sent = new ArrayList<>(2);
    }
    sent.add(data.retainedDuplicate());
    sentBytes += data.readableBytes();
  }

  /** Whether everything sent so far is still held, so the call could be replayed. */
  boolean replayable() {
    return replayable;
  }

  /** The copies of what was sent, now the caller's to send again; the buffer keeps none. */
  List<ByteBuf> takeSent() {
    List<ByteBuf> out = sent == null ? List.of() : sent;
    sent = null;
    sentBytes = 0;
    return out;
  }

  /** The backend answered: no replay any more, the copies go. */
  void stopReplay() {
    replayable = false;
    releaseEach(takeSent());
  }

  /**
   * Releases every buffer of {@code copies}, which were taken from a buffer with {@link #takeSent}.
   */
  static void releaseEach(List<ByteBuf> copies) {
    // Indexed: this runs once per call, and an iterator would be one more object each time.
    for (int i = 0; i < copies.size(); i++) {
      copies.get(i).release();
    }
  }

  /** Releases everything; returns the bytes of held (never sent) buffers. */
  int releaseAll() {
    stopReplay();
    int held = 0;
    ByteBuf b;
    while ((b = pollPending()) != null) {
      held += b.readableBytes();
      b.release();
    }
    return held;
  }
}
