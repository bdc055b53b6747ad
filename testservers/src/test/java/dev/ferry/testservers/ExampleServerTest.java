package dev.ferry.testservers;

import static dev.ferry.testservers.DaininkiServiceTest.vote;
import static dev.ferry.testservers.GreeterServiceTest.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloReply;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import io.grpc.testing.TlsTesting;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ExampleServerTest {
  @RegisterExtension final RunningServers servers = new RunningServers();

  @TempDir Path dir;

  @Test
  void portZero_bindsAFreePortOnLoopback() {
    ExampleServer server = servers.start(ExampleServer.Kind.GREETER);

    assertThat(server.address().getPort()).isPositive();
    assertThat(server.authority()).isEqualTo("127.0.0.1:" + server.address().getPort());
    assertThat(server.id()).isEqualTo("greeter@" + server.address().getPort());
  }

  @Test
  void requestOverGrpcJavasFourMebibytes_isAcceptedByDefault() {
    ExampleServer server = servers.start(ExampleServer.Kind.GREETER);
    String name = "x".repeat((4 << 20) + 5);

    HelloReply reply = GreeterGrpc.newBlockingStub(bigMessageChannel(server)).sayHello(named(name));

    assertThat(reply.getMessage()).hasSize(name.length() + "Hello, !".length());
  }

  @Test
  void requestOverMaxMessageSize_isRefusedWithResourceExhausted() {
    ExampleServer server =
        servers.start(
            ExampleServer.builder(ExampleServer.Kind.GREETER).port(0).maxMessageSize(1024));

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                GreeterGrpc.newBlockingStub(bigMessageChannel(server))
                    .sayHello(named("x".repeat(2048))));

    assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED);
  }

  private ManagedChannel bigMessageChannel(ExampleServer server) {
    return servers.track(
        Grpc.newChannelBuilder(server.authority(), io.grpc.InsecureChannelCredentials.create())
            .maxInboundMessageSize(64 << 20)
            .build());
  }

  @Test
  void authority_ofIpv6Loopback_isBracketedAndShort() {
    assertThat(ExampleServer.authority(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1)))
        .isEqualTo("127.0.0.1:1");
    assertThat(ExampleServer.authority(new InetSocketAddress("::1", 50051)))
        .isEqualTo("[::1]:50051");
  }

  @Test
  void instancesOnSeveralPorts_haveDistinctServedByAndSeparateCounts() {
    ExampleServer first = servers.start(ExampleServer.Kind.DAININKI);
    ExampleServer second = servers.start(ExampleServer.Kind.DAININKI);
    var firstStub = DaininkiGrpc.newBlockingStub(servers.plaintextChannel(first));
    var secondStub = DaininkiGrpc.newBlockingStub(servers.plaintextChannel(second));

    firstStub.vote(vote("ann"));
    var fromFirst = firstStub.vote(vote("ann"));
    var fromSecond = secondStub.vote(vote("ann"));

    assertThat(fromFirst.getServedBy()).isEqualTo("daininki@" + first.address().getPort());
    assertThat(fromSecond.getServedBy()).isEqualTo("daininki@" + second.address().getPort());
    assertThat(fromFirst.getVotes()).isEqualTo(2);
    assertThat(fromSecond.getVotes()).isEqualTo(1);
  }

  @Test
  void id_replacesTheServedByName() {
    ExampleServer server =
        servers.start(ExampleServer.builder(ExampleServer.Kind.DAININKI).port(0).id("east-1"));

    var reply = DaininkiGrpc.newBlockingStub(servers.plaintextChannel(server)).vote(vote("ann"));

    assertThat(server.id()).isEqualTo("east-1");
    assertThat(reply.getServedBy()).isEqualTo("east-1");
  }

  @Test
  void idPrefix_keepsThePortInTheServedByName() {
    ExampleServer server =
        servers.start(ExampleServer.builder(ExampleServer.Kind.GREETER).port(0).idPrefix("east"));

    assertThat(server.id()).isEqualTo("east@" + server.address().getPort());
  }

  @Test
  void portInUse_failsWithBindExceptionNamingTheAddress() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      BindException e =
          catchThrowableOfType(
              BindException.class,
              () ->
                  ExampleServer.builder(ExampleServer.Kind.GREETER)
                      .port(taken.getLocalPort())
                      .start());

      assertThat(e).hasMessage("127.0.0.1:" + taken.getLocalPort() + " is already in use");
    }
  }

  @Test
  void callLog_writesOneLinePerCallWithMethodStatusAndDuration() throws Exception {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    ExampleServer server =
        servers.start(
            ExampleServer.builder(ExampleServer.Kind.GREETER).port(0).callLog(lines::add));
    var greeter = GreeterGrpc.newBlockingStub(servers.plaintextChannel(server));

    greeter.sayHello(named("you"));
    Metadata fail = new Metadata();
    fail.put(CallDirectives.FAIL_STATUS, "UNAVAILABLE");
    catchThrowableOfType(
        StatusRuntimeException.class,
        () ->
            greeter
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(fail))
                .sayHello(named("you")));

    String prefix = server.id() + " helloworld.Greeter/SayHello ";
    assertThat(lines.poll(10, TimeUnit.SECONDS)).matches(quoted(prefix) + "OK \\d+\\.\\dms");
    assertThat(lines.poll(10, TimeUnit.SECONDS))
        .matches(quoted(prefix) + "UNAVAILABLE \\d+\\.\\dms \"injected\"");
    assertThat(lines).isEmpty();
  }

  @Test
  void callLog_callCancelledByTheClient_isLoggedAsCancelled() throws Exception {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    ExampleServer server =
        servers.start(
            ExampleServer.builder(ExampleServer.Kind.GREETER).port(0).callLog(lines::add));
    RecordingObserver<HelloReply> replies = new RecordingObserver<>();
    var requests =
        GreeterGrpc.newStub(servers.plaintextChannel(server)).sayHelloBidiStream(replies);
    requests.onNext(named("you"));
    replies.next();

    requests.onError(new RuntimeException("the test gives up"));

    assertThat(lines.poll(10, TimeUnit.SECONDS))
        .matches(
            quoted(server.id() + " helloworld.Greeter/SayHelloBidiStream CANCELLED ")
                + "\\d+\\.\\dms");
  }

  @Test
  void tls_servesCallsWithTheGivenCertificate() throws Exception {
    Path cert = copy("server1.pem");
    Path key = copy("server1.key");
    ExampleServer server =
        servers.start(ExampleServer.builder(ExampleServer.Kind.GREETER).port(0).tls(cert, key));
    ManagedChannel channel =
        servers.track(
            Grpc.newChannelBuilder(
                    server.authority(),
                    TlsChannelCredentials.newBuilder()
                        .trustManager(copy("ca.pem").toFile())
                        .build())
                // The test certificate names *.test.google.fr, not 127.0.0.1.
                .overrideAuthority("foo.test.google.fr")
                .build());

    String message =
        GreeterGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .sayHello(named("you"))
            .getMessage();

    assertThat(message).isEqualTo("Hello, you!");
  }

  @Test
  void tls_withMissingKeyFile_failsNamingTheFile() throws Exception {
    Path cert = copy("server1.pem");
    Path missing = dir.resolve("nope.key");

    IOException e =
        catchThrowableOfType(
            IOException.class,
            () ->
                ExampleServer.builder(ExampleServer.Kind.GREETER)
                    .port(0)
                    .tls(cert, missing)
                    .start());

    assertThat(e).hasMessageContaining(missing.toString());
  }

  @Test
  void tls_withGarbageCertificate_failsNamingTheFile() throws Exception {
    Path cert = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
    Path key = copy("server1.key");

    IOException e =
        catchThrowableOfType(
            IOException.class,
            () -> ExampleServer.builder(ExampleServer.Kind.GREETER).port(0).tls(cert, key).start());

    assertThat(e).hasMessageContaining(cert.toString());
  }

  private Path copy(String testCert) throws IOException {
    Path target = dir.resolve(testCert);
    try (InputStream in = TlsTesting.loadCert(testCert)) {
      Files.copy(in, target);
    }
    return target;
  }

  private static String quoted(String text) {
    return Pattern.quote(text);
  }
}
