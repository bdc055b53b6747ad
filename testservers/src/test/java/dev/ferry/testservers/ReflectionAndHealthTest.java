package dev.ferry.testservers;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReflectionAndHealthTest {
  @RegisterExtension final RunningServers servers = new RunningServers();

  @ParameterizedTest
  @EnumSource(ExampleServer.Kind.class)
  void reflectionV1_listsTheServiceAndResolvesItsFile(ExampleServer.Kind kind) throws Exception {
    ManagedChannel channel = servers.plaintextChannel(servers.start(kind));

    List<String> services =
        askV1(channel, ServerReflectionRequest.newBuilder().setListServices("").build())
            .getListServicesResponse()
            .getServiceList()
            .stream()
            .map(ServiceResponse::getName)
            .toList();
    ServerReflectionResponse file =
        askV1(
            channel,
            ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol(kind.serviceName())
                .build());

    assertThat(services)
        .contains(
            kind.serviceName(),
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection");
    assertThat(serviceNames(file.getFileDescriptorResponse().getFileDescriptorProtoList()))
        .contains(kind.serviceName());
  }

  @ParameterizedTest
  @EnumSource(ExampleServer.Kind.class)
  void reflectionV1alpha_listsTheServiceAndResolvesItsFile(ExampleServer.Kind kind)
      throws Exception {
    ManagedChannel channel = servers.plaintextChannel(servers.start(kind));

    List<String> services =
        askV1alpha(
                channel,
                io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                    .setListServices("")
                    .build())
            .getListServicesResponse()
            .getServiceList()
            .stream()
            .map(io.grpc.reflection.v1alpha.ServiceResponse::getName)
            .toList();
    io.grpc.reflection.v1alpha.ServerReflectionResponse file =
        askV1alpha(
            channel,
            io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol(kind.serviceName())
                .build());

    assertThat(services).contains(kind.serviceName(), "grpc.health.v1.Health");
    assertThat(serviceNames(file.getFileDescriptorResponse().getFileDescriptorProtoList()))
        .contains(kind.serviceName());
  }

  @ParameterizedTest
  @EnumSource(ExampleServer.Kind.class)
  void health_isServingForTheServerAndItsService(ExampleServer.Kind kind) {
    ManagedChannel channel = servers.plaintextChannel(servers.start(kind));

    assertThat(health(channel, "")).isEqualTo(ServingStatus.SERVING);
    assertThat(health(channel, kind.serviceName())).isEqualTo(ServingStatus.SERVING);
  }

  @ParameterizedTest
  @EnumSource(ExampleServer.Kind.class)
  void setServingFalse_makesHealthNotServingAndTrueRestoresIt(ExampleServer.Kind kind) {
    ExampleServer server = servers.start(kind);
    ManagedChannel channel = servers.plaintextChannel(server);

    server.setServing(false);
    assertThat(health(channel, "")).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(health(channel, kind.serviceName())).isEqualTo(ServingStatus.NOT_SERVING);

    server.setServing(true);
    assertThat(health(channel, "")).isEqualTo(ServingStatus.SERVING);
  }

  private static ServingStatus health(ManagedChannel channel, String service) {
    return HealthGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build())
        .getStatus();
  }

  private static List<String> serviceNames(List<ByteString> files) throws Exception {
    List<String> names = new ArrayList<>();
    for (ByteString bytes : files) {
      FileDescriptorProto file = FileDescriptorProto.parseFrom(bytes);
      for (ServiceDescriptorProto service : file.getServiceList()) {
        names.add(file.getPackage() + "." + service.getName());
      }
    }
    return names;
  }

  private static ServerReflectionResponse askV1(
      ManagedChannel channel, ServerReflectionRequest request) throws Exception {
    return askOnce(
        ServerReflectionGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
            ::serverReflectionInfo,
        request);
  }

  private static io.grpc.reflection.v1alpha.ServerReflectionResponse askV1alpha(
      ManagedChannel channel, io.grpc.reflection.v1alpha.ServerReflectionRequest request)
      throws Exception {
    return askOnce(
        io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
            ::serverReflectionInfo,
        request);
  }

  /** One request on a reflection stream, its one answer, and a clean end. */
  private static <Q, R> R askOnce(Function<StreamObserver<R>, StreamObserver<Q>> open, Q request)
      throws Exception {
    RecordingObserver<R> answers = new RecordingObserver<>();
    StreamObserver<Q> requests = open.apply(answers);
    requests.onNext(request);
    requests.onCompleted();
    assertThat(answers.status().getCode()).isEqualTo(Status.Code.OK);
    assertThat(answers.messages()).hasSize(1);
    return answers.messages().get(0);
  }
}
