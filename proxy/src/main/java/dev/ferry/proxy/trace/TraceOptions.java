package dev.ferry.proxy.trace;

import java.util.function.LongSupplier;

/**
 * How the tap decodes what it sees.
 *
 * @param maxMessageBytes how much of each gRPC message is kept and shown; the rest is counted and
 *     dropped so that a huge message costs bounded memory
 * @param decoder turns messages into JSON when their schema is known
 * @param nanoClock the clock for "time since the connection began", injectable for tests
 */
public record TraceOptions(int maxMessageBytes, MessageDecoder decoder, LongSupplier nanoClock) {
  /** 64 KiB of every message, no schema, the system clock. */
  public static TraceOptions defaults() {
    return new TraceOptions(64 * 1024, MessageDecoder.NONE, System::nanoTime);
  }

  public TraceOptions {
    if (maxMessageBytes < 0) {
      throw new IllegalArgumentException(
          "maxMessageBytes: " + maxMessageBytes + " (expected: >= 0)");
    }
  }

  public TraceOptions withDecoder(MessageDecoder d) {
    return new TraceOptions(maxMessageBytes, d, nanoClock);
  }

  public TraceOptions withMaxMessageBytes(int max) {
    return new TraceOptions(max, decoder, nanoClock);
  }

  public TraceOptions withNanoClock(LongSupplier clock) {
    return new TraceOptions(maxMessageBytes, decoder, clock);
  }
}
