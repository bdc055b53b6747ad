package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.config.AclConfig;
import dev.ferry.proxy.config.RateLimitConfig;
import dev.ferry.proxy.config.RoutePolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the start-up summary says of a route's access control and limits. */
class ServeSummarySecurityTest {
  @Test
  void routeWithoutPolicy_saysNothingMore() {
    assertThat(ServeSummary.policy(RoutePolicy.NONE)).isEmpty();
  }

  @Test
  void routePolicy_namesAclRateAndMessageSize() {
    RoutePolicy p =
        new RoutePolicy(
            new AclConfig(List.of("10.0.0.0/8"), List.of(), List.of()),
            new RateLimitConfig(
                100, Duration.ofSeconds(1), 20, RateLimitConfig.Key.CLIENT_IP, null),
            4096);

    assertThat(ServeSummary.policy(p))
        .isEqualTo("; acl; rate 100/s burst 20 per client_ip; messages up to 4096 bytes");
  }
}
