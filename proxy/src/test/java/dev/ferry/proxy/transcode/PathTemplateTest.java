package dev.ferry.proxy.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The path templates of google/api/http.proto: what they match and what their variables take. */
class PathTemplateTest {
  static Stream<Arguments> matches() {
    return Stream.of(
        Arguments.of("/v1/greeter/{name}", "/v1/greeter/ferry", Map.of("name", "ferry")),
        Arguments.of("/v1/greeter", "/v1/greeter", Map.of()),
        Arguments.of("/v1/{a.b.c}", "/v1/x", Map.of("a.b.c", "x")),
        Arguments.of(
            "/v1/{name=shelves/*}/books/{book}",
            "/v1/shelves/s1/books/b2",
            captures("name", "shelves/s1", "book", "b2")),
        Arguments.of(
            "/v1/{name=messages/**}", "/v1/messages/a/b/c", Map.of("name", "messages/a/b/c")),
        Arguments.of("/v1/{name=**}", "/v1/a", Map.of("name", "a")),
        Arguments.of("/v1/*/x/{id}", "/v1/anything/x/7", Map.of("id", "7")),
        Arguments.of("/v1/**", "/v1/a/b", Map.of()),
        Arguments.of("/v1/things:count", "/v1/things:count", Map.of()),
        Arguments.of(
            "/v1/{name=things/*}:cancel", "/v1/things/t1:cancel", Map.of("name", "things/t1")),
        // One segment is decoded whole; several keep %2F so their slashes stay distinct.
        Arguments.of("/v1/greeter/{name}", "/v1/greeter/a%20b%2Fc", Map.of("name", "a b/c")),
        Arguments.of("/v1/{path=**}", "/v1/a%2Fb/c%20d", Map.of("path", "a%2Fb/c d")),
        Arguments.of("/v1/greeter/{name}", "/v1/greeter/%E3%81%82", Map.of("name", "\u3042")));
  }

  @ParameterizedTest(name = "{0} matches {1}")
  @MethodSource
  void matches(String template, String path, Map<String, String> captured) {
    assertThat(PathTemplate.parse(template).match(path)).isEqualTo(captured);
  }

  static Stream<Arguments> nonMatches() {
    return Stream.of(
        Arguments.of("/v1/greeter/{name}", "/v1/greeter"),
        Arguments.of("/v1/greeter/{name}", "/v1/greeter/"),
        Arguments.of("/v1/greeter/{name}", "/v1/greeter/a/b"),
        Arguments.of("/v1/greeter/{name}", "/v2/greeter/a"),
        Arguments.of("/v1/greeter/{name}", "v1/greeter/a"),
        Arguments.of("/v1/{name=shelves/*}", "/v1/books/s1"),
        Arguments.of("/v1/{name=messages/**}", "/v1/other/a"),
        Arguments.of("/v1/things:count", "/v1/things"),
        Arguments.of("/v1/things:count", "/v1/things:other"),
        // A verb the template has not is not a part of its last variable.
        Arguments.of("/v1/things/{id}", "/v1/things/t1:cancel"),
        Arguments.of("/v1/things/{id}:cancel", "/v1/things/t1"));
  }

  @ParameterizedTest(name = "{0} does not match {1}")
  @MethodSource
  void nonMatches(String template, String path) {
    assertThat(PathTemplate.parse(template).match(path)).isNull();
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("v1/x", "a template starts with /"),
        Arguments.of("/v1/{name", "a variable not closed with }"),
        Arguments.of("/v1/{a}/{a}", "field a is bound twice"),
        Arguments.of("/v1/{a=b/{c}}", "a variable inside a variable"),
        Arguments.of("/v1/{1a}", "'1a' is not a field path"),
        Arguments.of("/v1/**/x", "** may only be the last segment"),
        Arguments.of("/v1//x", "an empty segment"),
        Arguments.of("/v1/x:", "an empty segment"));
  }

  @ParameterizedTest(name = "{0} is refused")
  @MethodSource
  void malformed(String template, String message) {
    assertThatThrownBy(() -> PathTemplate.parse(template))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("path template " + template + ": " + message);
  }

  @ParameterizedTest(name = "{0} has {1} literal segments")
  @MethodSource
  void literals(String template, int literals) {
    assertThat(PathTemplate.parse(template).literals()).isEqualTo(literals);
  }

  static Stream<Arguments> literals() {
    return Stream.of(
        Arguments.of("/v1/things/{id}", 2),
        Arguments.of("/v1/things:count", 2),
        Arguments.of("/v1/{name=shelves/*}/books/{b}", 3));
  }

  private static Map<String, String> captures(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
