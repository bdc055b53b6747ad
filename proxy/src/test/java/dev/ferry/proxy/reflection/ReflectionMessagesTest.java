package dev.ferry.proxy.reflection;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.reflection.v1.ErrorResponse;
import io.grpc.reflection.v1.ListServiceResponse;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written codec against protobuf-java's own encoding of the same messages. */
class ReflectionMessagesTest {
  @Test
  void listServicesRequest_isRecognised_withItsHost() {
    byte[] raw =
        ServerReflectionRequest.newBuilder().setHost("h").setListServices("").build().toByteArray();
    ReflectionMessages.Request r = ReflectionMessages.parseRequest(raw);
    assertThat(r.kind()).isEqualTo(ReflectionMessages.LIST_SERVICES);
    assertThat(r.host()).isEqualTo("h");
  }

  @Test
  void listServicesResponse_readsBackWithProtobufJava() throws Exception {
    byte[] raw = ServerReflectionRequest.newBuilder().setListServices("").build().toByteArray();
    byte[] out =
        ReflectionMessages.listServicesResponse(
            ReflectionMessages.parseRequest(raw), List.of("a.A", "b.B"));
    ServerReflectionResponse r = ServerReflectionResponse.parseFrom(out);
    assertThat(r.getListServicesResponse().getServiceList())
        .extracting(ServiceResponse::getName)
        .containsExactly("a.A", "b.B");
    assertThat(r.getOriginalRequest().hasListServices()).isTrue();
    assertThat(ReflectionMessages.listedServices(out)).containsExactly("a.A", "b.B");
  }

  @Test
  void errorCode_isReadFromAnErrorResponse_andMinusOneOtherwise() {
    byte[] err =
        ServerReflectionResponse.newBuilder()
            .setErrorResponse(ErrorResponse.newBuilder().setErrorCode(5).setErrorMessage("x"))
            .build()
            .toByteArray();
    byte[] list =
        ServerReflectionResponse.newBuilder()
            .setListServicesResponse(ListServiceResponse.getDefaultInstance())
            .build()
            .toByteArray();
    assertThat(ReflectionMessages.errorCode(err)).isEqualTo(5);
    assertThat(ReflectionMessages.errorCode(list)).isEqualTo(-1);
  }
}
