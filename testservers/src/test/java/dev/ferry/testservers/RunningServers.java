package dev.ferry.testservers;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension that starts example servers and channels to them for one test, and closes them
 * all after it, channels first.
 */
final class RunningServers implements AfterEachCallback {
  private final Deque<AutoCloseable> open = new ArrayDeque<>();

  ExampleServer start(ExampleServer.Builder builder) {
    try {
      ExampleServer server = builder.start();
      open.push(server);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ExampleServer start(ExampleServer.Kind kind) {
    return start(ExampleServer.builder(kind).port(0));
  }

  ManagedChannel plaintextChannel(ExampleServer server) {
    return track(
        Grpc.newChannelBuilder(server.authority(), InsecureChannelCredentials.create()).build());
  }

  ManagedChannel track(ManagedChannel channel) {
    open.push(
        () -> {
          channel.shutdownNow();
          channel.awaitTermination(5, TimeUnit.SECONDS);
        });
    return channel;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    while (!open.isEmpty()) {
      open.pop().close();
    }
  }
}
