package dev.ferry.proxy.listener;

/**
 * The last few client streams of one connection to close, each with how it closed, so that a late
 * frame can be told apart: on a stream the client had ended, on one that was reset, or on one that
 * was never opened at all. Netty forgets a stream as soon as it closes; this remembers a bounded
 * number, and says so when an id is too old to judge.
 */
final class RecentlyClosedStreams {
  /** What became of a client stream id that is not open now. */
  enum History {
    /** The client sent END_STREAM and the stream then closed without a reset. */
    ENDED,
    /** It closed by RST_STREAM, sent by either side. */
    RESET,
    /** No stream with this id was opened: the client skipped it. */
    NEVER_OPENED,
    /** Closed too long ago to say. */
    FORGOTTEN
  }

  /** Enough to cover the streams a client has just finished with; 256 bytes per connection. */
  static final int CAPACITY = 64;

  /** The ids in the order they closed, negated for a reset stream; allocated at the first close. */
  private int[] ring;

  private int next;
  private int size;

  /** Every id evicted from the ring is at most this, so any closed id above it is in the ring. */
  private int forgottenUpTo;

  /** Records that client stream {@code id} has closed. */
  void record(int id, boolean reset) {
    if (ring == null) {
      ring = new int[CAPACITY];
    }
    if (size == CAPACITY) {
      forgottenUpTo = Math.max(forgottenUpTo, Math.abs(ring[next]));
    } else {
      size++;
    }
    ring[next] = reset ? -id : id;
    next = (next + 1) % CAPACITY;
  }

  /**
   * What became of stream {@code id}, which the caller knows is not open and is not above the
   * highest id the client has opened.
   */
  History historyOf(int id) {
    for (int i = 0; i < size; i++) {
      int entry = ring[i];
      if (entry == id) {
        return History.ENDED;
      }
      if (entry == -id) {
        return History.RESET;
      }
    }
    return id > forgottenUpTo ? History.NEVER_OPENED : History.FORGOTTEN;
  }
}
