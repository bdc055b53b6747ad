package dev.ferry.proxy.trace;

/**
 * Receives the tap's events. Called from the event loops of many connections at once, so an
 * implementation that writes somewhere shared must synchronize.
 */
@FunctionalInterface
public interface TraceSink {
  void accept(TraceEvent event);
}
