package dev.ferry.proxy.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloReply;
import dev.ferry.testservers.helloworld.HelloRequest;
import dev.ferry.testservers.helloworld.RankingRequest;
import dev.ferry.testservers.helloworld.VoteRequest;
import dev.ferry.testservers.helloworld.VoteTally;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tap between a real grpc-java client and the example servers, over loopback sockets. */
class TraceTapEndToEndTest {
  private final RecordingSink sink = new RecordingSink();
  private ExampleServer greeter;
  private TraceTap tap;
  private ManagedChannel channel;
  private GreeterGrpc.GreeterBlockingStub blocking;

  @BeforeEach
  void start() throws Exception {
    greeter = ExampleServer.builder(ExampleServer.Kind.GREETER).port(0).start();
    tap =
        TraceTap.start(
            new InetSocketAddress("127.0.0.1", 0),
            greeter.address(),
            TraceOptions.defaults(),
            sink);
    channel =
        NettyChannelBuilder.forAddress(tap.address())
            .usePlaintext()
            .maxInboundMessageSize(16 * 1024 * 1024)
            .build();
    blocking = GreeterGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    tap.close();
    greeter.close();
  }

  private static HelloRequest named(String name) {
    return HelloRequest.newBuilder().setName(name).build();
  }

  private List<String> detailsOf(TraceEvent.Kind kind, Direction direction) {
    List<String> lines = new ArrayList<>();
    for (TraceEvent e : sink.events()) {
      if (e.kind() == kind && e.direction() == direction) {
        lines.addAll(e.details());
      }
    }
    return lines;
  }

  @Test
  void unaryCall_passesThroughAndIsTracedWithItsMessages() throws Exception {
    HelloReply reply = blocking.sayHello(named("world"));

    assertThat(reply.getMessage()).isEqualTo("Hello, world!");
    TraceEvent call = sink.awaitCalls(1).get(0);
    assertThat(call.headline()).startsWith("/helloworld.Greeter/SayHello OK in ");
    assertThat(call.headline()).endsWith(", → 1 msg 7 B, ← 1 msg 15 B");
    assertThat(detailsOf(TraceEvent.Kind.MESSAGE, Direction.CLIENT_TO_SERVER))
        .contains("1: \"world\"");
    assertThat(detailsOf(TraceEvent.Kind.MESSAGE, Direction.SERVER_TO_CLIENT))
        .contains("1: \"Hello, world!\"");
    assertThat(sink.events())
        .extracting(TraceEvent::type)
        .contains("OPEN", "SETTINGS", "HEADERS", "DATA", "MESSAGE", "CALL")
        .doesNotContain("PARSE_ERROR");
  }

  @Test
  void failingCall_isSummarisedWithItsStatusName() throws Exception {
    Metadata fail = new Metadata();
    fail.put(Metadata.Key.of("x-fail-status", Metadata.ASCII_STRING_MARSHALLER), "5");
    fail.put(Metadata.Key.of("x-fail-message", Metadata.ASCII_STRING_MARSHALLER), "no such name");
    assertThatThrownBy(
            () ->
                blocking
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(fail))
                    .sayHello(named("x")))
        .isInstanceOf(StatusRuntimeException.class);

    TraceEvent call = sink.awaitCalls(1).get(0);
    assertThat(call.headline())
        .startsWith("/helloworld.Greeter/SayHello NOT_FOUND \"no such name\" in ");
    assertThat(call.error()).isTrue();
    assertThat(call.fields().get("status")).isEqualTo("NOT_FOUND");
  }

  @Test
  void serverStreaming_countsEveryMessage() throws Exception {
    Iterator<HelloReply> replies = blocking.sayHelloStreamReply(named("ann"));
    replies.forEachRemaining(r -> {});

    TraceEvent call = sink.awaitCalls(1).get(0);
    assertThat(call.headline()).contains("OK").contains(", → 1 msg 5 B, ← 3 msgs ");
  }

  @Test
  void daininkiShapes_areEachSummarisedOnce() throws Exception {
    try (ExampleServer daininki =
            ExampleServer.builder(ExampleServer.Kind.DAININKI).port(0).start();
        TraceTap tap2 =
            TraceTap.start(
                new InetSocketAddress("127.0.0.1", 0),
                daininki.address(),
                TraceOptions.defaults(),
                sink)) {
      ManagedChannel ch = NettyChannelBuilder.forAddress(tap2.address()).usePlaintext().build();
      try {
        DaininkiGrpc.DaininkiBlockingStub stub = DaininkiGrpc.newBlockingStub(ch);
        stub.vote(VoteRequest.newBuilder().setCandidate("ann").build());
        stub.ranking(RankingRequest.newBuilder().setCount(2).build()).forEachRemaining(r -> {});
        CompletableFuture<VoteTally> tally = new CompletableFuture<>();
        StreamObserver<VoteRequest> votes =
            DaininkiGrpc.newStub(ch)
                .bulkVote(
                    new StreamObserver<>() {
                      @Override
                      public void onNext(VoteTally value) {
                        tally.complete(value);
                      }

                      @Override
                      public void onError(Throwable t) {
                        tally.completeExceptionally(t);
                      }

                      @Override
                      public void onCompleted() {}
                    });
        votes.onNext(VoteRequest.newBuilder().setCandidate("ann").build());
        votes.onNext(VoteRequest.newBuilder().setCandidate("bob").build());
        votes.onCompleted();
        assertThat(tally.get(10, TimeUnit.SECONDS).getTotal()).isEqualTo(2);
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      assertThat(sink.awaitCalls(3))
          .extracting(TraceEvent::headline)
          .anySatisfy(h -> assertThat(h).startsWith("/helloworld.Daininki/Vote OK"))
          .anySatisfy(
              h -> assertThat(h).startsWith("/helloworld.Daininki/Ranking OK").contains("← 2 msgs"))
          .anySatisfy(
              h ->
                  assertThat(h)
                      .startsWith("/helloworld.Daininki/BulkVote OK")
                      .contains("→ 2 msgs", "← 1 msg "));
    }
  }

  @Test
  void bidiStreaming_andGzip_areDecodedBothWays() throws Exception {
    CompletableFuture<List<String>> done = new CompletableFuture<>();
    List<String> got = new ArrayList<>();
    StreamObserver<HelloRequest> requests =
        GreeterGrpc.newStub(channel)
            .withCompression("gzip")
            .sayHelloBidiStream(
                new StreamObserver<>() {
                  @Override
                  public void onNext(HelloReply value) {
                    got.add(value.getMessage());
                  }

                  @Override
                  public void onError(Throwable t) {
                    done.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    done.complete(got);
                  }
                });
    requests.onNext(named("a".repeat(200)));
    requests.onNext(named("b"));
    requests.onCompleted();

    assertThat(done.get(10, TimeUnit.SECONDS)).hasSize(2);
    TraceEvent call = sink.awaitCalls(1).get(0);
    assertThat(call.headline()).contains("/helloworld.Greeter/SayHelloBidiStream OK");
    assertThat(call.headline()).contains("→ 2 msgs", "← 2 msgs");
    assertThat(
            sink.events().stream()
                .filter(e -> e.kind() == TraceEvent.Kind.MESSAGE)
                .map(TraceEvent::headline))
        .anyMatch(h -> h.contains("compressed (gzip, 203 bytes decompressed)"));
    assertThat(detailsOf(TraceEvent.Kind.MESSAGE, Direction.CLIENT_TO_SERVER))
        .contains("1: \"" + "a".repeat(200) + "\"", "1: \"b\"");
  }

  @Test
  void messageOverManyDataFrames_isShownOnce() throws Exception {
    String name = "n".repeat(100_000);
    HelloReply reply = blocking.sayHello(named(name));

    assertThat(reply.getMessage()).hasSize(name.length() + 8);
    sink.awaitCalls(1);
    long requestDataFrames =
        sink.events().stream()
            .filter(e -> e.type().equals("DATA") && e.direction() == Direction.CLIENT_TO_SERVER)
            .count();
    assertThat(requestDataFrames).isGreaterThan(3);
    assertThat(
            sink.events().stream()
                .filter(
                    e ->
                        e.kind() == TraceEvent.Kind.MESSAGE
                            && e.direction() == Direction.CLIENT_TO_SERVER))
        .singleElement()
        .extracting(TraceEvent::headline)
        .isEqualTo("#1 100004 bytes, first 65536 bytes shown");
  }

  @Test
  void garbageFromARawClient_isReported_andTheTapKeepsServingOthers() throws Exception {
    try (Socket raw = new Socket()) {
      raw.connect(tap.address());
      OutputStream out = raw.getOutputStream();
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[] {0, 0, 3, 0x4, 0, 0, 0, 0, 0, 1, 2, 3});
      out.flush();
      TraceEvent error = sink.await(e -> e.kind() == TraceEvent.Kind.PARSE_ERROR, 1).get(0);
      assertThat(error.headline()).startsWith("FRAME_SIZE_ERROR: SETTINGS frame on stream 0");

      assertThat(blocking.sayHello(named("still")).getMessage()).isEqualTo("Hello, still!");
      assertThat(sink.awaitCalls(1).get(0).headline()).contains("OK");
    }
  }

  @Test
  void clientDeadline_isNamedAsTheCauseOfTheCancel() throws Exception {
    Metadata slow = new Metadata();
    slow.put(Metadata.Key.of("x-delay-ms", Metadata.ASCII_STRING_MARSHALLER), "2000");
    assertThatThrownBy(
            () ->
                blocking
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(slow))
                    .withDeadlineAfter(200, TimeUnit.MILLISECONDS)
                    .sayHello(named("slow")))
        .isInstanceOf(StatusRuntimeException.class);

    TraceEvent call = sink.awaitCalls(1).get(0);
    // The client and the grpc-java server both cancel when the deadline passes; either may be
    // first, and either way the trace must name the deadline.
    assertThat((String) call.fields().get("status"))
        .matches(
            "DEADLINE_EXCEEDED \\(deadline passed; RST_STREAM CANCEL by the (client|server)\\)");
    assertThat(sink.events())
        .extracting(TraceEvent::headline)
        .anyMatch(h -> h.matches("the (client|server) cancelled when the call's deadline .*"));
  }
}
