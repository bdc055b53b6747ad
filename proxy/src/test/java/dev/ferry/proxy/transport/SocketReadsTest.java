package dev.ferry.proxy.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/**
 * The read sizes {@link SocketReads#ALLOCATOR} gives a channel, driven the way an event loop drives
 * it: reads that fill their buffer, as bulk traffic does, and reads that do not.
 */
class SocketReadsTest {
  private final EmbeddedChannel channel = new EmbeddedChannel();

  @Test
  void bulkReads_growTo128KiB_andNoFurther() {
    RecvByteBufAllocator.Handle handle = SocketReads.ALLOCATOR.newHandle();
    int size = 0;
    for (int event = 0; event < 10; event++) {
      size = readsOfOneEvent(handle, true);
    }
    assertThat(size).isEqualTo(128 << 10);
  }

  @Test
  void oneEvent_readsSixteenTimes_whileEachReadFillsItsBuffer() {
    RecvByteBufAllocator.Handle handle = SocketReads.ALLOCATOR.newHandle();
    handle.reset(channel.config());
    int reads = 0;
    do {
      handle.attemptedBytesRead(handle.guess());
      handle.lastBytesRead(handle.guess());
      handle.incMessagesRead(1);
      reads++;
    } while (handle.continueReading() && reads < 100);
    assertThat(reads).isEqualTo(16);
  }

  @Test
  void smallReads_startAndStayAt2KiB() {
    RecvByteBufAllocator.Handle handle = SocketReads.ALLOCATOR.newHandle();
    assertThat(handle.guess()).isEqualTo(2048);
    int size = 0;
    for (int event = 0; event < 10; event++) {
      size = readsOfOneEvent(handle, false);
    }
    assertThat(size).isLessThanOrEqualTo(2048);
  }

  /** One readiness event's reads; returns the size the handle then proposes for the next read. */
  private int readsOfOneEvent(RecvByteBufAllocator.Handle handle, boolean fill) {
    handle.reset(channel.config());
    do {
      handle.attemptedBytesRead(handle.guess());
      handle.lastBytesRead(fill ? handle.guess() : 100);
      handle.incMessagesRead(1);
    } while (fill && handle.continueReading());
    handle.readComplete();
    return handle.guess();
  }
}
