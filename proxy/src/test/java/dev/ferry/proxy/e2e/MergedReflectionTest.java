package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.cluster;
import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Through the proxy, grpc-java's own reflection clients (v1 and v1alpha) see every cluster's
 * services, one of the backends speaking v1alpha only.
 */
class MergedReflectionTest {
  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();

  private ProxyServer proxy;

  private void start() throws Exception {
    ExampleServer greeter = fixture.example(ExampleServer.Kind.GREETER);
    // v1alpha only: grpc-java's ProtoReflectionService, without ProtoReflectionServiceV1.
    Server alphaOnly =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new DaininkiGrpc.DaininkiImplBase() {})
            .addService(ProtoReflectionService.newInstance())
            .build()
            .start();
    fixture.closeLater(() -> alphaOnly.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    proxy =
        fixture.proxy(
            config(
                List.of(
                    service("helloworld.Greeter", "greeter"),
                    service("helloworld.Daininki", "daininki")),
                cluster("greeter", BalancePolicy.ROUND_ROBIN, greeter.address().getPort()),
                cluster("daininki", BalancePolicy.ROUND_ROBIN, alphaOnly.getPort())));
  }

  @Test
  void v1Client_listsTheServicesOfEveryCluster_andFindsFilesInEach() throws Exception {
    start();
    V1Stream s = new V1Stream(fixture.channel(proxy));

    ServerReflectionResponse list =
        s.ask(ServerReflectionRequest.newBuilder().setListServices("").build());
    List<String> names =
        list.getListServicesResponse().getServiceList().stream()
            .map(ServiceResponse::getName)
            .toList();
    assertThat(names)
        .contains(
            "helloworld.Greeter",
            "helloworld.Daininki",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection")
        .isSorted()
        .doesNotHaveDuplicates();

    // Daininki lives only on the v1alpha backend: the proxy asks it in v1alpha.
    ServerReflectionResponse daininki =
        s.ask(
            ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol("helloworld.Daininki")
                .build());
    assertThat(services(daininki)).contains("Daininki");
    ServerReflectionResponse greeter =
        s.ask(
            ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol("helloworld.Greeter.SayHello")
                .build());
    assertThat(services(greeter)).contains("Greeter");

    ServerReflectionResponse unknown =
        s.ask(ServerReflectionRequest.newBuilder().setFileContainingSymbol("no.Such").build());
    assertThat(unknown.getErrorResponse().getErrorCode()).isEqualTo(5);
    s.close();
  }

  @Test
  void v1alphaClient_getsTheSameMergedList() throws Exception {
    start();
    ManagedChannel ch = fixture.channel(proxy);
    LinkedBlockingQueue<io.grpc.reflection.v1alpha.ServerReflectionResponse> answers =
        new LinkedBlockingQueue<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionRequest> req =
        io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(ch)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .serverReflectionInfo(observer(answers, done));
    req.onNext(
        io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
            .setListServices("")
            .build());
    var list = answers.poll(10, TimeUnit.SECONDS);
    req.onCompleted();
    done.get(10, TimeUnit.SECONDS);
    assertThat(list.getListServicesResponse().getServiceList())
        .extracting(io.grpc.reflection.v1alpha.ServiceResponse::getName)
        .contains("helloworld.Greeter", "helloworld.Daininki");
  }

  private static List<String> services(ServerReflectionResponse r)
      throws InvalidProtocolBufferException {
    List<String> out = new ArrayList<>();
    for (var bytes : r.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      FileDescriptorProto f = FileDescriptorProto.parseFrom(bytes);
      f.getServiceList().forEach(sv -> out.add(sv.getName()));
    }
    return out;
  }

  private static <T> StreamObserver<T> observer(
      LinkedBlockingQueue<T> answers, CompletableFuture<Void> done) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        answers.add(value);
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        done.complete(null);
      }
    };
  }

  @Test
  void clusterThatCannotBeAsked_isNamedWithItsError_insteadOfAnEmptyAnswer() throws Exception {
    int dead = fixture.refusedPort();
    ProxyServer down =
        fixture.proxy(
            config(
                List.of(service("helloworld.Greeter", "greeter")),
                cluster("greeter", BalancePolicy.ROUND_ROBIN, dead)));
    ManagedChannel ch = fixture.channel(down);

    for (ServerReflectionRequest r :
        List.of(
            ServerReflectionRequest.newBuilder().setListServices("").build(),
            ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol("helloworld.Greeter")
                .build())) {
      LinkedBlockingQueue<ServerReflectionResponse> answers = new LinkedBlockingQueue<>();
      CompletableFuture<Void> done = new CompletableFuture<>();
      StreamObserver<ServerReflectionRequest> req =
          ServerReflectionGrpc.newStub(ch)
              .withDeadlineAfter(20, TimeUnit.SECONDS)
              .serverReflectionInfo(observer(answers, done));
      req.onNext(r);
      Throwable failed = catchThrowable(() -> done.get(15, TimeUnit.SECONDS));
      assertThat(answers).isEmpty();
      Status status = Status.fromThrowable(failed);
      assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(status.getDescription())
          .isEqualTo(
              "ferry reflection: could not ask cluster 'greeter': connect to 127.0.0.1:"
                  + dead
                  + " refused");
      // The typed marker that clients decide on, rather than the message's text.
      assertThat(Status.trailersFromThrowable(failed).get(GrpcCallShapesTest.LOCAL_REPLY))
          .isEqualTo("connect_failed");
    }
  }

  /** One v1 reflection stream: ask, wait for the answer, ask again. */
  private static final class V1Stream {
    private final LinkedBlockingQueue<ServerReflectionResponse> answers =
        new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final StreamObserver<ServerReflectionRequest> requests;

    V1Stream(ManagedChannel ch) {
      requests =
          ServerReflectionGrpc.newStub(ch)
              .withDeadlineAfter(20, TimeUnit.SECONDS)
              .serverReflectionInfo(observer(answers, done));
    }

    ServerReflectionResponse ask(ServerReflectionRequest r) throws Exception {
      requests.onNext(r);
      ServerReflectionResponse a = answers.poll(10, TimeUnit.SECONDS);
      assertThat(a).as("an answer to %s (stream: %s)", r, done).isNotNull();
      return a;
    }

    void close() throws Exception {
      requests.onCompleted();
      done.get(10, TimeUnit.SECONDS);
    }
  }
}
