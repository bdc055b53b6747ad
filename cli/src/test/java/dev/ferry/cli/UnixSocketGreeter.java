package dev.ferry.cli;

import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloReply;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A grpc-java greeter (SayHello only, with reflection) on a Unix domain socket, for tests of {@code
 * unix:} targets: the example backends listen on TCP only.
 */
public final class UnixSocketGreeter implements AutoCloseable {
  private final EventLoopGroup group;
  private final Server server;

  private UnixSocketGreeter(EventLoopGroup group, Server server) {
    this.group = group;
    this.server = server;
  }

  public static UnixSocketGreeter start(Path socket) throws IOException {
    EventLoopGroup group = new EpollEventLoopGroup(1);
    try {
      Server server =
          NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
              .channelType(EpollServerDomainSocketChannel.class)
              .bossEventLoopGroup(group)
              .workerEventLoopGroup(group)
              .addService(new Greeter())
              .addService(ProtoReflectionServiceV1.newInstance())
              .build()
              .start();
      return new UnixSocketGreeter(group, server);
    } catch (IOException | RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
  }

  private static final class Greeter extends GreeterGrpc.GreeterImplBase {
    @Override
    public void sayHello(HelloRequest request, StreamObserver<HelloReply> replies) {
      replies.onNext(
          HelloReply.newBuilder().setMessage("Hello, " + request.getName() + "!").build());
      replies.onCompleted();
    }
  }
}
