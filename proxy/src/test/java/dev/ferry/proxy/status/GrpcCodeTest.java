package dev.ferry.proxy.status;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GrpcCodeTest {
  @Test
  void codes_haveGrpcsNumbersAndNames() {
    assertThat(GrpcCode.values()).hasSize(17);
    assertThat(GrpcCode.OK.value()).isZero();
    assertThat(GrpcCode.DEADLINE_EXCEEDED.value()).isEqualTo(4);
    assertThat(GrpcCode.UNAVAILABLE.value()).isEqualTo(14);
    assertThat(GrpcCode.UNAUTHENTICATED.value()).isEqualTo(16);
  }

  @Test
  void parse_takesANumberOrANameInAnyCase() {
    assertThat(GrpcCode.parse("14")).isEqualTo(GrpcCode.UNAVAILABLE);
    assertThat(GrpcCode.parse(" 7 ")).isEqualTo(GrpcCode.PERMISSION_DENIED);
    assertThat(GrpcCode.parse("unavailable")).isEqualTo(GrpcCode.UNAVAILABLE);
    assertThat(GrpcCode.parse("Resource_Exhausted")).isEqualTo(GrpcCode.RESOURCE_EXHAUSTED);
    assertThat(GrpcCode.parse("17")).isNull();
    assertThat(GrpcCode.parse("1234")).isNull();
    assertThat(GrpcCode.parse("-1")).isNull();
    assertThat(GrpcCode.parse("unavailabel")).isNull();
  }

  @Test
  void unknownValues_areNamedByNumber() {
    assertThat(GrpcCode.nameOf(14)).isEqualTo("UNAVAILABLE");
    assertThat(GrpcCode.nameOf(42)).isEqualTo("CODE_42");
    assertThat(GrpcCode.ofValue(-1)).isNull();
  }

  @Test
  void httpStatuses_mapBothWays() {
    assertThat(GrpcCode.UNAVAILABLE.httpStatus()).isEqualTo(503);
    assertThat(GrpcCode.forHttpStatus(404)).isEqualTo(GrpcCode.UNIMPLEMENTED);
    assertThat(GrpcCode.forHttpStatus(502)).isEqualTo(GrpcCode.UNAVAILABLE);
    assertThat(GrpcCode.forHttpStatus(418)).isEqualTo(GrpcCode.UNKNOWN);
  }
}
