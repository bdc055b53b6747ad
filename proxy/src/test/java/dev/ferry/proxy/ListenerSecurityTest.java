package dev.ferry.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.config.AclConfig;
import dev.ferry.proxy.config.CertificateConfig;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.ListenerLimits;
import dev.ferry.proxy.config.TlsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Which listener changes a reload must report as needing a restart. */
class ListenerSecurityTest {
  private static ListenerConfig listener(TlsConfig tls, AclConfig acl, ListenerLimits limits) {
    return ListenerConfig.builder("127.0.0.1", 8443, List.of())
        .idleTimeout(Duration.ZERO)
        .tls(tls)
        .acl(acl)
        .limits(limits)
        .build();
  }

  private static AclConfig subjects(String... regexes) {
    return new AclConfig(
        List.of("10.0.0.0/8"), List.of(), List.of(regexes).stream().map(Pattern::compile).toList());
  }

  @Test
  void equalSettings_andFreshlyCompiledRegexes_areTheSame() {
    ListenerConfig a = listener(null, subjects("CN=a"), ListenerLimits.DEFAULTS);
    ListenerConfig b = listener(null, subjects("CN=a"), ListenerLimits.DEFAULTS);

    assertThat(ListenerSecurity.same(a, b)).isTrue();
  }

  @Test
  void aRunningSelfSignedListener_isTheSameAsItsFile() {
    TlsConfig resolved =
        new TlsConfig(
            List.of(new CertificateConfig(Path.of("c.pem"), Path.of("c.key"), List.of())),
            false,
            null,
            false);

    assertThat(
            ListenerSecurity.same(
                listener(resolved, null, ListenerLimits.DEFAULTS),
                listener(TlsConfig.selfSignedConfig(), null, ListenerLimits.DEFAULTS)))
        .isTrue();
  }

  @Test
  void changedAclLimitsOrCertificates_areReported() {
    ListenerConfig base =
        listener(TlsConfig.of(Path.of("a.pem"), Path.of("a.key")), null, ListenerLimits.DEFAULTS);

    assertThat(ListenerSecurity.same(base, listener(base.tls(), subjects("CN=a"), base.limits())))
        .isFalse();
    assertThat(
            ListenerSecurity.same(
                base,
                listener(
                    base.tls(),
                    null,
                    new ListenerLimits(1, 1, 1024, Duration.ofSeconds(1), 1, 1, 1))))
        .isFalse();
    assertThat(
            ListenerSecurity.same(
                base,
                listener(TlsConfig.of(Path.of("b.pem"), Path.of("b.key")), null, base.limits())))
        .isFalse();
  }
}
