package dev.ferry.proxy.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import dev.ferry.proxy.e2e.ThingsService;
import dev.ferry.proxy.schema.MethodSchema;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How a request's path variables, query parameters and body become the method's message, and how
 * what does not fit is named.
 */
class RequestMessageTest {
  private static final ServiceDescriptor THINGS =
      ThingsService.file(false).findServiceByName("Things");

  private static HttpRuleTable table() {
    return HttpRuleTable.of(THINGS.getMethods().stream().map(MethodSchema::of).toList(), "test");
  }

  /** The JSON of the message {@code verb} {@code pathAndQuery} with {@code body} becomes. */
  private static String build(String verb, String pathAndQuery, String body) throws Exception {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    RuleMatch m = table().match(verb, path);
    assertThat(m).as("a rule for %s %s", verb, path).isNotNull();
    byte[] message =
        RequestMessage.build(
            m, QueryParams.parse(q < 0 ? "" : pathAndQuery.substring(q + 1)), body);
    return JsonFormat.printer()
        .omittingInsignificantWhitespace()
        .print(DynamicMessage.parseFrom(THINGS.getFile().findMessageTypeByName("Thing"), message));
  }

  static Stream<Arguments> fits() {
    return Stream.of(
        Arguments.of("GET", "/v1/things/t1", "", "{\"name\":\"t1\"}"),
        Arguments.of(
            "GET",
            "/v1/things/t1?part.id=p&part.size=5&tags=a&tags=b+c&count=3",
            "",
            "{\"name\":\"t1\",\"part\":{\"id\":\"p\",\"size\":\"5\"},\"tags\":[\"a\",\"b c\"],"
                + "\"count\":3}"),
        Arguments.of(
            "GET",
            "/v1/things/t1?at=2024-05-06T07:08:09Z&wait=1.500s&limit=7&mask=name,part.id",
            "",
            "{\"name\":\"t1\",\"at\":\"2024-05-06T07:08:09Z\",\"wait\":\"1.500s\","
                + "\"limit\":\"7\",\"mask\":\"name,part.id\"}"),
        // A parameter named by its JSON name, and one the path binds already (the path wins).
        Arguments.of(
            "GET", "/v1/things/t1?name=other&tags=x", "", "{\"name\":\"t1\",\"tags\":[\"x\"]}"),
        Arguments.of("GET", "/v1/shelves/s1/first", "", "{\"name\":\"shelves/s1\"}"),
        Arguments.of(
            "POST",
            "/v1/things?count=9",
            "{\"name\":\"n\",\"at\":\"2024-05-06T07:08:09Z\"}",
            // body "*": the whole message is the body; the query is not read.
            "{\"name\":\"n\",\"at\":\"2024-05-06T07:08:09Z\"}"),
        Arguments.of(
            "PATCH",
            "/v1/things/t1/part?count=2",
            "{\"id\":\"p\",\"size\":\"4\"}",
            "{\"name\":\"t1\",\"part\":{\"id\":\"p\",\"size\":\"4\"},\"count\":2}"),
        Arguments.of("GET", "/v1/parts/p9", "", "{\"part\":{\"id\":\"p9\"}}"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource
  void fits(String verb, String pathAndQuery, String body, String json) throws Exception {
    assertThat(build(verb, pathAndQuery, body)).isEqualTo(json);
  }

  static Stream<Arguments> badInput() {
    return Stream.of(
        Arguments.of(
            "GET",
            "/v1/things/t1?colour=red",
            "",
            "unknown query parameter colour: " + "ferrytest.Thing has no field colour"),
        Arguments.of(
            "GET",
            "/v1/things/t1?part.colour=red",
            "",
            "unknown query parameter part.colour: " + "ferrytest.Part has no field colour"),
        Arguments.of(
            "GET",
            "/v1/things/t1?count=many",
            "",
            "query parameter count: 'many' is not a value of ferrytest.Thing.count (int32)"),
        Arguments.of(
            "GET",
            "/v1/things/t1?count=1&count=2",
            "",
            "query parameter count: given 2 times, but ferrytest.Thing.count is not repeated"),
        Arguments.of(
            "GET",
            "/v1/things/t1?at=yesterday",
            "",
            "query parameter at: 'yesterday' is not a value of ferrytest.Thing.at"
                + " (google.protobuf.Timestamp)"),
        Arguments.of(
            "GET",
            "/v1/things/t1?part=x",
            "",
            "query parameter part: ferrytest.Thing.part is a"
                + " message; put it in the body instead"),
        Arguments.of("POST", "/v1/things", "{\"name\":", "the body is not JSON"),
        Arguments.of(
            "POST", "/v1/things", "[1]", "the body is not a JSON object of ferrytest.Thing"),
        Arguments.of(
            "POST", "/v1/things", "{\"count\":\"x\"}", "the body is not JSON of ferrytest.Thing"),
        Arguments.of(
            "GET",
            "/v1/parts/p?part.size=big",
            "",
            "query parameter part.size: 'big' is not a value of ferrytest.Part.size (int64)"));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource
  void badInput(String verb, String pathAndQuery, String body, String message) {
    assertThatThrownBy(() -> build(verb, pathAndQuery, body))
        .isInstanceOf(BadRequest.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void queryParameters_areDecodedAndKeptInOrder() {
    assertThat(QueryParams.parse("a=1&b=x%20y&a=2&c&d=%E3%81%82+z&&"))
        .containsExactly(
            java.util.Map.entry("a", java.util.List.of("1", "2")),
            java.util.Map.entry("b", java.util.List.of("x y")),
            java.util.Map.entry("c", java.util.List.of("")),
            java.util.Map.entry("d", java.util.List.of("\u3042 z")));
  }
}
