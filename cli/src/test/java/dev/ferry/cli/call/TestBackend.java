package dev.ferry.cli.call;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloReply;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.BindableService;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.protobuf.StatusProto;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.TlsTesting;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A greeter for the call tests, with the knobs the tests need: which reflection versions it offers,
 * TLS, {@code x-fail-status} fault injection, a request that never gets an answer ({@code name:
 * "silent"}) and one that fails with error details ({@code name: "details"}).
 */
final class TestBackend implements AutoCloseable {
  /** Which reflection services the backend offers. */
  enum Reflection {
    V1_AND_V1ALPHA,
    V1ALPHA_ONLY,
    NONE
  }

  private final Server server;

  private TestBackend(Server server) {
    this.server = server;
  }

  static TestBackend start(Reflection reflection, boolean tls) throws IOException {
    ServerCredentials credentials =
        tls
            ? TlsServerCredentials.create(
                TlsTesting.loadCert("server1.pem"), TlsTesting.loadCert("server1.key"))
            : InsecureServerCredentials.create();
    var builder =
        Grpc.newServerBuilderForPort(0, credentials)
            .addService(ServerInterceptors.intercept(new Greeter(), new FailureInjection()));
    if (reflection == Reflection.V1_AND_V1ALPHA) {
      builder.addService(ProtoReflectionServiceV1.newInstance());
    }
    if (reflection != Reflection.NONE) {
      builder.addService((BindableService) ProtoReflectionService.newInstance());
    }
    return new TestBackend(builder.build().start());
  }

  String address() {
    return "127.0.0.1:" + ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static final class Greeter extends GreeterGrpc.GreeterImplBase {
    @Override
    public void sayHello(HelloRequest request, StreamObserver<HelloReply> replies) {
      if (request.getName().equals("silent")) {
        return;
      }
      if (request.getName().equals("details")) {
        replies.onError(
            StatusProto.toStatusRuntimeException(
                com.google.rpc.Status.newBuilder()
                    .setCode(Status.Code.RESOURCE_EXHAUSTED.value())
                    .setMessage("quota used up")
                    .addDetails(
                        Any.pack(
                            ErrorInfo.newBuilder()
                                .setReason("QUOTA")
                                .setDomain("ferry.dev")
                                .build()))
                    .addDetails(
                        Any.pack(
                            RetryInfo.newBuilder()
                                .setRetryDelay(
                                    com.google.protobuf.Duration.newBuilder().setSeconds(3))
                                .build()))
                    .build()));
        return;
      }
      replies.onNext(reply(request));
      replies.onCompleted();
    }

    @Override
    public void sayHelloStreamReply(HelloRequest request, StreamObserver<HelloReply> replies) {
      for (int i = 0; i < 3; i++) {
        replies.onNext(reply(request));
      }
      replies.onCompleted();
    }

    @Override
    public StreamObserver<HelloRequest> sayHelloBidiStream(StreamObserver<HelloReply> replies) {
      return new StreamObserver<>() {
        @Override
        public void onNext(HelloRequest request) {
          replies.onNext(reply(request));
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          replies.onCompleted();
        }
      };
    }

    private static HelloReply reply(HelloRequest request) {
      return HelloReply.newBuilder().setMessage("Hello, " + request.getName() + "!").build();
    }
  }

  /** {@code x-fail-status: <code>} ends the call with that status, as the example servers do. */
  private static final class FailureInjection implements ServerInterceptor {
    private static final Metadata.Key<String> FAIL =
        Metadata.Key.of("x-fail-status", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      String fail = headers.get(FAIL);
      if (fail == null) {
        return next.startCall(call, headers);
      }
      call.close(
          Status.fromCodeValue(Integer.parseInt(fail)).withDescription("injected"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
  }
}
