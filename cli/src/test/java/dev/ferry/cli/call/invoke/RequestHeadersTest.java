package dev.ferry.cli.call.invoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Metadata;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestHeadersTest {
  private static final Metadata.Key<String> AUTH =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  @Test
  void nameIsLowerCasedAndValueTrimmed() {
    Metadata m = new RequestHeaders(false, k -> null).parse(List.of("Authorization:  Bearer x "));
    assertThat(m.get(AUTH)).isEqualTo("Bearer x");
  }

  @Test
  void repeatedHeader_keepsEveryValue() {
    Metadata m = new RequestHeaders(false, k -> null).parse(List.of("x-a: 1", "x-a: 2"));
    assertThat(m.getAll(Metadata.Key.of("x-a", Metadata.ASCII_STRING_MARSHALLER)))
        .containsExactly("1", "2");
  }

  @Test
  void binHeader_isDecodedFromBase64() {
    Metadata m = new RequestHeaders(false, k -> null).parse(List.of("x-fail-message-bin: 5pel"));
    byte[] value = m.get(Metadata.Key.of("x-fail-message-bin", Metadata.BINARY_BYTE_MARSHALLER));
    assertThat(new String(value, StandardCharsets.UTF_8)).isEqualTo("日");
  }

  @Test
  void binHeaderThatIsNotBase64_isRefused() {
    assertThatThrownBy(() -> new RequestHeaders(false, k -> null).parse(List.of("a-bin: !!")))
        .hasMessageContaining("base64");
  }

  @Test
  void environmentVariables_areExpandedOnlyWhenAsked() {
    Map<String, String> env = Map.of("TOKEN", "s3cret");
    assertThat(
            new RequestHeaders(true, env::get).parse(List.of("authorization: ${TOKEN}")).get(AUTH))
        .isEqualTo("s3cret");
    assertThat(
            new RequestHeaders(false, env::get).parse(List.of("authorization: ${TOKEN}")).get(AUTH))
        .isEqualTo("${TOKEN}");
  }

  @Test
  void unsetVariable_isNamed() {
    assertThatThrownBy(() -> new RequestHeaders(true, k -> null).parse(List.of("a: ${NOPE}")))
        .hasMessageContaining("NOPE is not set");
  }

  @Test
  void headerWithoutColon_isRefusedWithAnExample() {
    assertThatThrownBy(() -> new RequestHeaders(false, k -> null).parse(List.of("novalue")))
        .hasMessageContaining("expected 'name: value'");
  }

  @Test
  void grpcReservedHeader_isRefused() {
    assertThatThrownBy(
            () -> new RequestHeaders(false, k -> null).parse(List.of("grpc-timeout: 1S")))
        .hasMessageContaining("reserved");
  }
}
