package dev.ferry.cli.call.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TargetTest {
  @Test
  void hostAndPort_andBracketedIpv6_areRead() {
    assertThat(Target.parse("127.0.0.1:50051")).isEqualTo(new Target("127.0.0.1", 50051));
    assertThat(Target.parse("[::1]:8080")).isEqualTo(new Target("::1", 8080));
    assertThat(Target.parse("[::1]:8080").toString()).isEqualTo("[::1]:8080");
    assertThat(Target.parse("localhost:80").toString()).isEqualTo("localhost:80");
  }

  @Test
  void missingPort_unbracketedIpv6_andBadPort_areRefused() {
    assertThatThrownBy(() -> Target.parse("localhost")).hasMessageContaining("is not host:port");
    assertThatThrownBy(() -> Target.parse("::1:80")).hasMessageContaining("in brackets");
    assertThatThrownBy(() -> Target.parse("h:70000")).hasMessageContaining("1 to 65535");
  }

  @Test
  void unixSocket_inBothOfGrpcsSpellings_isRead() {
    assertThat(Target.parse("unix:/run/app.sock")).isEqualTo(Target.unix(Path.of("/run/app.sock")));
    assertThat(Target.parse("unix:///run/app.sock"))
        .isEqualTo(Target.unix(Path.of("/run/app.sock")));
    assertThat(Target.parse("unix:app.sock").socket()).isEqualTo(Path.of("app.sock"));
    assertThat(Target.parse("unix:///run/app.sock").grpcTarget()).isEqualTo("unix:///run/app.sock");
    assertThat(Target.parse("unix:/run/app.sock").toString()).isEqualTo("unix:/run/app.sock");
  }

  @Test
  void unixWithoutAPath_orWithAnAuthority_isRefused() {
    assertThatThrownBy(() -> Target.parse("unix:")).hasMessageContaining("names no socket");
    assertThatThrownBy(() -> Target.parse("unix://host/run/app.sock"))
        .hasMessageContaining("unix:///absolute/path");
  }
}
