package dev.ferry.cli.call.transport;

import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.IoHandlerFactory;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The event loop of a one-shot call's channels: one daemon thread, as grpc-java's own shared group
 * is, made on first use and stopped when the call command ends. The JVM gives every thread still in
 * native code (a selector waiting for a socket) 300 ms to leave it before it exits; grpc-java's
 * shared group cannot be stopped early, and made a one-shot call a third slower.
 */
final class CallLoop {
  private final String threadName;
  private final Supplier<IoHandlerFactory> transport;
  private EventLoopGroup group;

  /** A loop whose thread is {@code threadName}, on {@code transport} (NIO or epoll). */
  CallLoop(String threadName, Supplier<IoHandlerFactory> transport) {
    this.threadName = threadName;
    this.transport = transport;
  }

  synchronized EventLoopGroup group() {
    if (group == null) {
      group =
          new MultiThreadIoEventLoopGroup(
              1, new DefaultThreadFactory(threadName, true), transport.get());
    }
    return group;
  }

  /** Stops the loop if it was made, once its channels are shut down; a later use makes another. */
  synchronized void stop() {
    if (group != null) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(1, TimeUnit.SECONDS);
      group = null;
    }
  }
}
