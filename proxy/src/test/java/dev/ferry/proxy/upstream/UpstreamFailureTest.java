package dev.ferry.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.status.LocalReplyReason;
import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Connect failures are told apart by the exception's type, never by its message. */
class UpstreamFailureTest {
  @Test
  void refused_isAConnectException_whateverItsMessage() {
    UpstreamFailure f = UpstreamFailure.connect("a:1", new ConnectException("Verbindung"), 50);
    assertThat(f.kind()).isEqualTo(UpstreamFailure.Kind.CONNECT_REFUSED);
    assertThat(f.detail()).isEqualTo("connect to a:1 refused");
    assertThat(f.reason()).isEqualTo(LocalReplyReason.CONNECT_FAILED);
  }

  @Test
  void timeout_isNettysConnectTimeout_thoughItIsAConnectExceptionToo() {
    var cause = new ConnectTimeoutException("connection timed out");
    UpstreamFailure f = UpstreamFailure.connect("a:1", cause, 50);
    assertThat(f.kind()).isEqualTo(UpstreamFailure.Kind.CONNECT_TIMEOUT);
    assertThat(f.detail()).isEqualTo("connect to a:1 timed out after 50ms");
    assertThat(f.cause()).isSameAs(cause);
  }

  @Test
  void otherCauses_areNamedByType() {
    assertThat(UpstreamFailure.connect("a:1", new UnknownHostException("a"), 50).kind())
        .isEqualTo(UpstreamFailure.Kind.UNRESOLVED);
    assertThat(
            UpstreamFailure.connect("a:1", new SSLHandshakeException("bad certificate"), 50)
                .detail())
        .isEqualTo("TLS handshake with a:1 failed: bad certificate");
    assertThat(UpstreamFailure.connect("a:1", new IOException("no route"), 50).detail())
        .isEqualTo("connect to a:1 failed: no route");
  }

  @Test
  void onlyARefusedStream_mayBeReplayed_andStreamFailuresAreResets() {
    UpstreamFailure refused = UpstreamFailure.of(UpstreamFailure.Kind.STREAM_REFUSED, "GOAWAY");
    UpstreamFailure reset = UpstreamFailure.of(UpstreamFailure.Kind.STREAM_RESET, "RST");
    assertThat(refused.refused()).isTrue();
    assertThat(reset.refused()).isFalse();
    assertThat(reset.isConnectFailure()).isFalse();
    assertThat(reset.reason()).isEqualTo(LocalReplyReason.UPSTREAM_RESET);
  }
}
