package dev.ferry.proxy.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.proxy.config.CidrRange;
import java.net.InetAddress;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AccessRulesTest {
  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void cidr_matchesIpv4AndIpv6Ranges() throws Exception {
    assertThat(CidrRange.parse("10.0.0.0/8").contains(ip("10.200.1.2"))).isTrue();
    assertThat(CidrRange.parse("10.0.0.0/8").contains(ip("11.0.0.1"))).isFalse();
    assertThat(CidrRange.parse("192.168.1.128/25").contains(ip("192.168.1.200"))).isTrue();
    assertThat(CidrRange.parse("192.168.1.128/25").contains(ip("192.168.1.100"))).isFalse();
    assertThat(CidrRange.parse("::1").contains(ip("::1"))).isTrue();
    assertThat(CidrRange.parse("fd00::/8").contains(ip("fd12:3456::1"))).isTrue();
    assertThat(CidrRange.parse("fd00::/8").contains(ip("10.0.0.1"))).isFalse();
    assertThat(CidrRange.parse("0.0.0.0/0").contains(ip("::1"))).isFalse();
  }

  @Test
  void ipv4MappedClients_matchIpv4Ranges() throws Exception {
    InetAddress mapped =
        InetAddress.getByAddress(
            new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1});

    assertThat(CidrRange.parse("127.0.0.0/8").contains(mapped)).isTrue();
  }

  @Test
  void badRanges_sayWhatIsWrong() {
    assertThatThrownBy(() -> CidrRange.parse("10.0.0.1/8"))
        .hasMessage("'10.0.0.1/8' has host bits set; the range it names is 10.0.0.0/8");
    assertThatThrownBy(() -> CidrRange.parse("10.0.0.0/33"))
        .hasMessage("prefix length in '10.0.0.0/33' must be from 0 to 32");
    assertThatThrownBy(() -> CidrRange.parse("example.com"))
        .hasMessage("expected an IP range such as 10.0.0.0/8 or fd00::/8, got 'example.com'");
  }

  @Test
  void denyWins_overAllow() throws Exception {
    AccessRules r = AccessRules.of(List.of("10.0.0.0/8"), List.of("10.1.0.0/16"), List.of());

    assertThat(r.refusal(ip("10.2.3.4"), null)).isNull();
    assertThat(r.refusal(ip("10.1.3.4"), null))
        .isEqualTo("client address 10.1.3.4 is denied (10.1.0.0/16)");
    assertThat(r.refusal(ip("192.0.2.1"), null))
        .isEqualTo("client address 192.0.2.1 is not in the allow list");
  }

  @Test
  void subjects_needAMatchingCertificate() throws Exception {
    AccessRules r =
        AccessRules.of(List.of(), List.of(), List.of(Pattern.compile("CN=billing(,.*)?")));

    assertThat(r.refusal(ip("127.0.0.1"), "CN=billing,O=Example")).isNull();
    assertThat(r.refusal(ip("127.0.0.1"), "CN=other"))
        .isEqualTo("client certificate 'CN=other' is not allowed");
    assertThat(r.refusal(ip("127.0.0.1"), null)).isEqualTo("a client certificate is required");
  }
}
