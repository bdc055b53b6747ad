package dev.ferry.testservers;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

class CallLogInterceptorTest {
  @Test
  void describe_showsCodeAndMillisecondsWithOneDecimal() {
    assertThat(CallLogInterceptor.describe(Status.OK, 1_549_000)).isEqualTo("OK 1.5ms");
  }

  @Test
  void describe_quotesTheStatusMessage() {
    Status status = Status.UNAVAILABLE.withDescription("backend down");

    assertThat(CallLogInterceptor.describe(status, 250_000_000))
        .isEqualTo("UNAVAILABLE 250.0ms \"backend down\"");
  }
}
