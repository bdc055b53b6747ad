package dev.ferry.proxy.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import dev.ferry.proxy.status.GrpcCode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Connect's error codes, their HTTP statuses (the protocol's table) and its two JSON forms. */
class ConnectErrorsTest {
  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource({
    "CANCELLED, canceled, 499",
    "UNKNOWN, unknown, 500",
    "INVALID_ARGUMENT, invalid_argument, 400",
    "DEADLINE_EXCEEDED, deadline_exceeded, 504",
    "NOT_FOUND, not_found, 404",
    "ALREADY_EXISTS, already_exists, 409",
    "PERMISSION_DENIED, permission_denied, 403",
    "RESOURCE_EXHAUSTED, resource_exhausted, 429",
    "FAILED_PRECONDITION, failed_precondition, 400",
    "ABORTED, aborted, 409",
    "OUT_OF_RANGE, out_of_range, 400",
    "UNIMPLEMENTED, unimplemented, 501",
    "INTERNAL, internal, 500",
    "UNAVAILABLE, unavailable, 503",
    "DATA_LOSS, data_loss, 500",
    "UNAUTHENTICATED, unauthenticated, 401"
  })
  void everyCode_hasConnectsNameAndHttpStatus(GrpcCode code, String name, int httpStatus) {
    assertThat(ConnectErrors.codeName(code)).isEqualTo(name);
    assertThat(ConnectErrors.httpStatus(code)).isEqualTo(httpStatus);
  }

  @Test
  void errorJson_hasCodeAndMessage_withoutHtmlEscapes() {
    byte[] json =
        ConnectErrors.errorJson(ConnectStatus.of(GrpcCode.UNAVAILABLE, "cluster 'a' <down> \"x\""));

    assertThat(new String(json, StandardCharsets.UTF_8))
        .isEqualTo("{\"code\":\"unavailable\",\"message\":\"cluster 'a' <down> \\\"x\\\"\"}");
  }

  @Test
  void errorJson_leavesAnEmptyMessageOut() {
    assertThat(text(ConnectErrors.errorJson(ConnectStatus.of(GrpcCode.INTERNAL, ""))))
        .isEqualTo("{\"code\":\"internal\"}");
  }

  @Test
  void endStreamJson_ofAnOkStream_hasOnlyItsMetadata() {
    Map<String, JsonArray> meta = new LinkedHashMap<>();
    JsonArray values = new JsonArray();
    values.add("1");
    values.add("2");
    meta.put("x-count", values);

    assertThat(text(ConnectErrors.endStreamJson(ConnectStatus.of(GrpcCode.OK, ""), meta)))
        .isEqualTo("{\"metadata\":{\"x-count\":[\"1\",\"2\"]}}");
    assertThat(text(ConnectErrors.endStreamJson(ConnectStatus.of(GrpcCode.OK, ""), Map.of())))
        .isEqualTo("{}");
  }

  @Test
  void endStreamJson_ofAFailedStream_carriesTheError() {
    assertThat(
            text(
                ConnectErrors.endStreamJson(
                    ConnectStatus.of(GrpcCode.NOT_FOUND, "gone"), Map.of())))
        .isEqualTo("{\"error\":{\"code\":\"not_found\",\"message\":\"gone\"}}");
  }

  @Test
  void details_ofGrpcStatusDetailsBin_becomeTypeAndUnpaddedBase64() {
    // google.rpc.Status { code: 8, details: [Any { type_url: ".../google.rpc.RetryInfo",
    // value: 0x0a 0x02 0x08 0x01 }] }, as grpc-java writes it: base64 without padding.
    byte[] any =
        concat(
            field(1, "type.googleapis.com/google.rpc.RetryInfo".getBytes(StandardCharsets.UTF_8)),
            field(2, new byte[] {0x0a, 0x02, 0x08, 0x01}));
    byte[] status = concat(new byte[] {0x08, 0x08}, field(3, any));
    String header = java.util.Base64.getEncoder().withoutPadding().encodeToString(status);

    ConnectStatus s =
        new ConnectStatus(GrpcCode.RESOURCE_EXHAUSTED, "slow", ConnectStatus.detailsOf(header));

    assertThat(text(ConnectErrors.errorJson(s)))
        .isEqualTo(
            "{\"code\":\"resource_exhausted\",\"message\":\"slow\","
                + "\"details\":[{\"type\":\"google.rpc.RetryInfo\",\"value\":\"CgIIAQ\"}]}");
  }

  @Test
  void unreadableDetails_areLeftOut() {
    assertThat(ConnectStatus.detailsOf("not base64!")).isEmpty();
    assertThat(ConnectStatus.detailsOf("GgM")).isEmpty(); // field 3 promising 3 bytes, none
    assertThat(ConnectStatus.detailsOf(null)).isEmpty();
  }

  private static byte[] field(int number, byte[] value) {
    return concat(new byte[] {(byte) (number << 3 | 2), (byte) value.length}, value);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
