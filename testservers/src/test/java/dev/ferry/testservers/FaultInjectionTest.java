package dev.ferry.testservers;

import static dev.ferry.testservers.DaininkiServiceTest.vote;
import static dev.ferry.testservers.GreeterServiceTest.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.testservers.helloworld.ChatMessage;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloReply;
import dev.ferry.testservers.helloworld.HelloRequest;
import dev.ferry.testservers.helloworld.RankingEntry;
import dev.ferry.testservers.helloworld.RankingRequest;
import dev.ferry.testservers.helloworld.VoteRequest;
import dev.ferry.testservers.helloworld.VoteTally;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FaultInjectionTest {
  @RegisterExtension final RunningServers servers = new RunningServers();

  private ManagedChannel greeterChannel;
  private ManagedChannel daininkiChannel;

  @BeforeEach
  void startBoth() {
    greeterChannel = servers.plaintextChannel(servers.start(ExampleServer.Kind.GREETER));
    daininkiChannel = servers.plaintextChannel(servers.start(ExampleServer.Kind.DAININKI));
  }

  @Test
  void failStatus_numeric_endsUnaryCallWithThatStatusAndMessageInjected() {
    Status status = unaryFailure(greeter(headers("x-fail-status", "14")));

    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.getDescription()).isEqualTo("injected");
  }

  @Test
  void failStatus_byName_isAcceptedInAnyCase() {
    assertThat(unaryFailure(greeter(headers("x-fail-status", "PERMISSION_DENIED"))).getCode())
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(unaryFailure(greeter(headers("x-fail-status", "resource_exhausted"))).getCode())
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
  }

  @Test
  void failMessage_becomesTheStatusMessage() {
    Metadata headers = headers("x-fail-status", "UNAVAILABLE", "x-fail-message", "backend down");

    assertThat(unaryFailure(greeter(headers)).getDescription()).isEqualTo("backend down");
  }

  @Test
  void failMessageBin_carriesNonAsciiTextAsUtf8() {
    String text = "Zürich ist geschlossen ☃ 東京";
    Metadata headers = headers("x-fail-status", "9");
    headers.put(CallDirectives.FAIL_MESSAGE_BIN, text.getBytes(StandardCharsets.UTF_8));

    Status status = unaryFailure(greeter(headers));

    assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(status.getDescription()).isEqualTo(text);
  }

  @Test
  void failStatus_onDaininkiVote_failsAndCountsNothing() {
    DaininkiGrpc.DaininkiBlockingStub daininki = DaininkiGrpc.newBlockingStub(daininkiChannel);
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> with(daininki, headers("x-fail-status", "ABORTED")).vote(vote("ann")));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
    assertThat(daininki.vote(vote("ann")).getVotes()).isEqualTo(1);
  }

  @Test
  void failAfter_letsStreamSendThatManyMessagesThenFails() throws Exception {
    RecordingObserver<HelloReply> replies = new RecordingObserver<>();
    greeterAsync(
            headers("x-fail-status", "UNAVAILABLE", "x-fail-after", "2", "x-stream-count", "5"))
        .sayHelloStreamReply(named("bob"), replies);

    assertThat(replies.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(replies.messages())
        .extracting(HelloReply::getMessage)
        .containsExactly("Hello, bob! (1/5)", "Hello, bob! (2/5)");
  }

  @Test
  void failAfter_beyondTheStreamsEnd_failsAfterTheLastMessage() throws Exception {
    RecordingObserver<HelloReply> replies = new RecordingObserver<>();
    greeterAsync(headers("x-fail-status", "INTERNAL", "x-fail-after", "10"))
        .sayHelloStreamReply(named("bob"), replies);

    assertThat(replies.status().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(replies.messages()).hasSize(3);
  }

  @Test
  void failAfter_onRanking_stopsTheRankingStream() throws Exception {
    RecordingObserver<RankingEntry> entries = new RecordingObserver<>();
    DaininkiGrpc.newStub(daininkiChannel)
        .withInterceptors(
            MetadataUtils.newAttachHeadersInterceptor(
                headers("x-fail-status", "UNAVAILABLE", "x-fail-after", "1")))
        .ranking(RankingRequest.newBuilder().setCount(4).build(), entries);

    assertThat(entries.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(entries.messages()).extracting(RankingEntry::getRank).containsExactly(1);
  }

  @Test
  void failAfter_onChat_echoesThatManyMessagesThenFails() throws Exception {
    RecordingObserver<ChatMessage> replies = new RecordingObserver<>();
    StreamObserver<ChatMessage> messages =
        with(
                DaininkiGrpc.newStub(daininkiChannel),
                headers("x-fail-status", "UNAVAILABLE", "x-fail-after", "2"))
            .chat(replies);
    for (String text : List.of("one", "two", "three")) {
      messages.onNext(ChatMessage.newBuilder().setText(text).build());
    }
    messages.onCompleted();

    assertThat(replies.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(replies.messages()).extracting(ChatMessage::getText).containsExactly("one", "two");
  }

  @Test
  void failStatus_onBulkVote_failsAndCountsNothing() throws Exception {
    RecordingObserver<VoteTally> tally = new RecordingObserver<>();
    StreamObserver<VoteRequest> votes =
        with(DaininkiGrpc.newStub(daininkiChannel), headers("x-fail-status", "UNAVAILABLE"))
            .bulkVote(tally);
    votes.onNext(vote("ann"));
    votes.onCompleted();

    assertThat(tally.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(DaininkiGrpc.newBlockingStub(daininkiChannel).vote(vote("ann")).getVotes())
        .isEqualTo(1);
  }

  @Test
  void failAfter_onUnaryCall_failsWithoutAnAnswer() {
    Metadata headers = headers("x-fail-status", "UNAVAILABLE", "x-fail-after", "1");

    assertThat(unaryFailure(greeter(headers)).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void delayMs_delaysTheAnswerByAtLeastThatLong() {
    long start = System.nanoTime();
    HelloReply reply = greeter(headers("x-delay-ms", "150")).sayHello(named("you"));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(reply.getMessage()).isEqualTo("Hello, you!");
    assertThat(elapsedMs).isGreaterThanOrEqualTo(150);
  }

  @Test
  void delayMs_delaysTheFirstMessageOfAStream() throws Exception {
    long start = System.nanoTime();
    RecordingObserver<HelloReply> replies = new RecordingObserver<>();
    greeterAsync(headers("x-delay-ms", "150")).sayHelloStreamReply(named("bob"), replies);
    replies.next();
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(elapsedMs).isGreaterThanOrEqualTo(150);
    assertThat(replies.messages()).hasSize(3);
  }

  @Test
  void delayMs_onBidiStream_delaysTheFirstAnswer() throws Exception {
    long start = System.nanoTime();
    RecordingObserver<HelloReply> replies = new RecordingObserver<>();
    StreamObserver<HelloRequest> requests =
        greeterAsync(headers("x-delay-ms", "150")).sayHelloBidiStream(replies);
    requests.onNext(named("ann"));
    String first = replies.next().getMessage();
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    requests.onCompleted();

    assertThat(first).isEqualTo("Hello, ann!");
    assertThat(elapsedMs).isGreaterThanOrEqualTo(150);
    assertThat(replies.status().getCode()).isEqualTo(Status.Code.OK);
  }

  @Test
  void delayMs_withFailStatus_failsAfterTheDelay() {
    long start = System.nanoTime();
    Status status = unaryFailure(greeter(headers("x-delay-ms", "100", "x-fail-status", "14")));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(elapsedMs).isGreaterThanOrEqualTo(100);
  }

  @Test
  void delayMs_callCancelledDuringTheDelay_neverReachesTheService() {
    DaininkiGrpc.DaininkiBlockingStub daininki = DaininkiGrpc.newBlockingStub(daininkiChannel);
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                with(daininki, headers("x-delay-ms", "60000"))
                    .withDeadlineAfter(100, TimeUnit.MILLISECONDS)
                    .vote(vote("ann")));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(daininki.vote(vote("ann")).getVotes()).isEqualTo(1);
  }

  @Test
  void streamCount_setsTheNumberOfReplies() throws Exception {
    RecordingObserver<HelloReply> five = new RecordingObserver<>();
    greeterAsync(headers("x-stream-count", "5")).sayHelloStreamReply(named("bob"), five);
    RecordingObserver<HelloReply> none = new RecordingObserver<>();
    greeterAsync(headers("x-stream-count", "0")).sayHelloStreamReply(named("bob"), none);

    assertThat(five.messages())
        .extracting(HelloReply::getMessage)
        .allSatisfy(m -> assertThat(m).startsWith("Hello, bob!"))
        .hasSize(5);
    assertThat(none.messages()).isEmpty();
    assertThat(none.status().getCode()).isEqualTo(Status.Code.OK);
  }

  @Test
  void streamIntervalMs_spacesTheReplies() throws Exception {
    long start = System.nanoTime();
    RecordingObserver<HelloReply> replies = new RecordingObserver<>();
    greeterAsync(headers("x-stream-interval-ms", "60")).sayHelloStreamReply(named("bob"), replies);
    replies.next();
    replies.next();
    replies.next();
    long lastMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    // Three replies have two gaps between them. Only this lower bound holds on a loaded machine:
    // the gap the client sees between two replies shrinks when the first one is read late.
    assertThat(lastMs).isGreaterThanOrEqualTo(120);
    assertThat(replies.status().getCode()).isEqualTo(Status.Code.OK);
  }

  @Test
  void badHeaderValue_isInvalidArgumentNamingTheHeader() {
    assertInvalid(headers("x-fail-status", "banana"), "x-fail-status");
    assertInvalid(headers("x-fail-status", "17"), "x-fail-status");
    assertInvalid(headers("x-delay-ms", "-5"), "x-delay-ms");
    assertInvalid(headers("x-stream-count", "lots"), "x-stream-count");
    assertInvalid(headers("x-stream-interval-ms", "1.5"), "x-stream-interval-ms");
    assertInvalid(headers("x-fail-status", "14", "x-fail-after", "x"), "x-fail-after");
    assertInvalid(headers("x-fail-after", "2"), "x-fail-after");
  }

  @Test
  void failureHeaders_doNotTouchHealth() {
    Metadata headers = headers("x-fail-status", "UNAVAILABLE", "x-delay-ms", "banana");

    ServingStatus status =
        with(HealthGrpc.newBlockingStub(greeterChannel), headers)
            .check(HealthCheckRequest.getDefaultInstance())
            .getStatus();

    assertThat(status).isEqualTo(ServingStatus.SERVING);
  }

  private void assertInvalid(Metadata headers, String header) {
    Status status = unaryFailure(greeter(headers));
    assertThat(status.getCode()).as(header).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).as(header).startsWith(header + ":");
  }

  private Status unaryFailure(GreeterGrpc.GreeterBlockingStub greeter) {
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> greeter.sayHello(named("you")));
    assertThat(e).as("the call fails").isNotNull();
    return e.getStatus();
  }

  private GreeterGrpc.GreeterBlockingStub greeter(Metadata headers) {
    return with(GreeterGrpc.newBlockingStub(greeterChannel), headers);
  }

  private GreeterGrpc.GreeterStub greeterAsync(Metadata headers) {
    return with(GreeterGrpc.newStub(greeterChannel), headers);
  }

  private static <S extends AbstractStub<S>> S with(S stub, Metadata headers) {
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static Metadata headers(String... namesAndValues) {
    Metadata headers = new Metadata();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.put(
          Metadata.Key.of(namesAndValues[i], Metadata.ASCII_STRING_MARSHALLER),
          namesAndValues[i + 1]);
    }
    return headers;
  }
}
