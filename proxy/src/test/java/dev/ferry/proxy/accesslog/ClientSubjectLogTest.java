package dev.ferry.proxy.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The mutual-TLS client subject in both access log formats, and only when there is one. */
class ClientSubjectLogTest {
  private static AccessLogEntry entry(String subject) {
    return new AccessLogEntry(
        0,
        new InetSocketAddress("127.0.0.1", 5000),
        "POST",
        "/helloworld.Greeter/SayHello",
        "x",
        "HTTP/2",
        true,
        200,
        0,
        "127.0.0.1:50051",
        null,
        1,
        2,
        1000,
        subject,
        null,
        null,
        null,
        null);
  }

  private static String text(AccessLogEntry e) {
    StringBuilder sb = new StringBuilder();
    new TextAccessLogFormatter().format(e, sb);
    return sb.toString();
  }

  private static String json(AccessLogEntry e) {
    StringBuilder sb = new StringBuilder();
    new JsonAccessLogFormatter().format(e, sb);
    return sb.toString();
  }

  @Test
  void subject_isLoggedEscaped_inText() {
    assertThat(text(entry("CN=billing svc,O=Example")))
        .contains(" subject=CN=billing\\x20svc,O=Example upstream=");
  }

  @Test
  void subject_isAJsonField() {
    assertThat(json(entry("CN=billing,O=Example")))
        .contains(",\"client_subject\":\"CN=billing,O=Example\",");
  }

  @Test
  void noSubject_leavesBothFormatsAsBefore() {
    assertThat(text(entry(null))).doesNotContain("subject=");
    assertThat(json(entry(null))).doesNotContain("client_subject");
  }
}
