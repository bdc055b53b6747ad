package dev.ferry.proxy.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.accesslog.UpstreamAttempt;
import dev.ferry.proxy.upstream.CallEndpoint;
import dev.ferry.proxy.upstream.UpstreamFailure;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class UpstreamAttemptsTest {
  private final FakeCluster cluster = new FakeCluster("c", new EmbeddedChannel(), 2);

  @Test
  void firstPick_isCountedOnItsEndpoint_untilReleased() {
    UpstreamAttempts attempts = new UpstreamAttempts(cluster, new DefaultHttp2Headers());
    assertThat(attempts.next()).isSameAs(cluster.endpoint(0));
    assertThat(cluster.endpoint(0).inFlight).isEqualTo(1);
    attempts.release();
    attempts.release(); // twice is once
    assertThat(cluster.endpoint(0).inFlight).isZero();
    assertThat(attempts.current()).isNull();
  }

  @Test
  void withoutConnectRetries_thereIsOneTry() {
    UpstreamAttempts attempts = new UpstreamAttempts(cluster, new DefaultHttp2Headers());
    attempts.next();
    attempts.release();
    assertThat(attempts.canRetry()).isFalse();
    assertThat(attempts.next()).isNull();
  }

  @Test
  void afterAConnectFailure_theNextTryGoesElsewhere_andTheFailureIsKept() {
    cluster.connectRetries = 1;
    UpstreamAttempts attempts = new UpstreamAttempts(cluster, new DefaultHttp2Headers());
    attempts.next();
    UpstreamFailure refused = UpstreamFailure.connect("a", new ConnectException(), 10);
    attempts.connectFailed(refused);
    assertThat(attempts.next()).isSameAs(cluster.endpoint(1));
    assertThat(attempts.lastFailure()).isSameAs(refused);
    attempts.release();
    assertThat(attempts.next()).isNull();
  }

  @Test
  void afterARefusedStream_theSameEndpointMayBeTriedAgain() {
    FakeCluster one = new FakeCluster("one", new EmbeddedChannel(), 1);
    one.connectRetries = 1;
    UpstreamAttempts attempts = new UpstreamAttempts(one, new DefaultHttp2Headers());
    attempts.next();
    attempts.streamFailed(UpstreamFailure.of(UpstreamFailure.Kind.STREAM_REFUSED, "GOAWAY"), "-");
    assertThat(attempts.next()).isSameAs(one.endpoint(0));
    attempts.release();
  }

  @Test
  void afterAConnectFailure_theSameEndpointIsNotTriedAgain() {
    FakeCluster one = new FakeCluster("one", new EmbeddedChannel(), 1);
    one.connectRetries = 1;
    UpstreamAttempts attempts = new UpstreamAttempts(one, new DefaultHttp2Headers());
    attempts.next();
    attempts.connectFailed(UpstreamFailure.connect("a", new ConnectException(), 10));
    assertThat(attempts.next()).isNull();
  }

  @Test
  void aStatusRetry_allowsOneMoreTry_andTellsTheClusterOfTheAnswer() {
    UpstreamAttempts attempts = new UpstreamAttempts(cluster, new DefaultHttp2Headers());
    attempts.next();
    assertThat(attempts.retryAfterStatus(14, 200, "-")).isSameAs(cluster.endpoint(1));
    assertThat(cluster.endpoint(0).inFlight).isZero();
    assertThat(cluster.responses).containsExactly(14);
    assertThat(attempts.lastFailure().detail()).isEqualTo("10.0.0.1:50051: grpc-status 14");
    attempts.release();
  }

  @Test
  void aFailedStream_namesItsEndpoint_andCountsAgainstIt_unlessRefused() {
    UpstreamAttempts attempts = new UpstreamAttempts(cluster, new DefaultHttp2Headers());
    attempts.next();
    UpstreamFailure here =
        attempts.streamFailed(
            UpstreamFailure.of(UpstreamFailure.Kind.STREAM_RESET, "reset by backend"), "-");
    assertThat(here.detail()).isEqualTo("10.0.0.1:50051: reset by backend");
    assertThat(cluster.failures).hasSize(1);
    assertThat(cluster.endpoint(0).inFlight).isZero();
    cluster.connectRetries = 0;
    UpstreamAttempts other = new UpstreamAttempts(cluster, new DefaultHttp2Headers());
    other.next();
    other.streamFailed(UpstreamFailure.of(UpstreamFailure.Kind.STREAM_REFUSED, "GOAWAY"), "-");
    assertThat(cluster.failures).hasSize(1);
  }

  @Test
  void aTryThatAnswers_leavesNoLog() {
    UpstreamAttempts attempts = new UpstreamAttempts(cluster, new DefaultHttp2Headers());
    attempts.next();
    attempts.answered(0, 200);
    attempts.release();
    assertThat(attempts.log()).isNull();
    assertThat(attempts.failures()).isEmpty();
    assertThat(attempts.lastFailure()).isNull();
  }

  @Test
  void theLogAndTheFailures_comeFromTheSameTries() {
    cluster.connectRetries = 2;
    UpstreamAttempts attempts = new UpstreamAttempts(cluster, new DefaultHttp2Headers());
    attempts.next();
    UpstreamFailure refused = UpstreamFailure.connect("10.0.0.1:50051", new ConnectException(), 10);
    attempts.connectFailed(refused);
    attempts.next();
    CallEndpoint third = attempts.retryAfterStatus(14, 200, "-");
    assertThat(third).isSameAs(cluster.endpoint(0)); // every endpoint was tried: back to the first
    attempts.release(); // the call ended this try itself
    assertThat(attempts.log())
        .containsExactly(
            new UpstreamAttempt("10.0.0.1:50051", "connect_refused"),
            new UpstreamAttempt("10.0.0.2:50051", "UNAVAILABLE(14)"),
            new UpstreamAttempt("10.0.0.1:50051", "no_answer"));
    assertThat(attempts.failures())
        .extracting(UpstreamFailure::detail)
        .containsExactly(refused.detail(), "10.0.0.2:50051: grpc-status 14");
  }

  @Test
  void reacquiring_isBounded() {
    UpstreamAttempts attempts = new UpstreamAttempts(cluster, new DefaultHttp2Headers());
    for (int i = 0; i < UpstreamAttempts.MAX_REACQUIRES; i++) {
      assertThat(attempts.mayReacquire()).isTrue();
    }
    assertThat(attempts.mayReacquire()).isFalse();
  }
}
