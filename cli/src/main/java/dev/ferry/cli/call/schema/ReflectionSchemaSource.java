package dev.ferry.cli.call.schema;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The schema asked of the server by gRPC server reflection: {@code grpc.reflection.v1}, and {@code
 * v1alpha} for servers that offer only that. Both versions have the same messages on the wire, so
 * one set of generated classes serves both; only the method's path differs.
 */
public final class ReflectionSchemaSource implements SchemaSource {
  private static final String V1 = "grpc.reflection.v1.ServerReflection";
  private static final String V1ALPHA = "grpc.reflection.v1alpha.ServerReflection";

  private final Channel channel;
  private final CallOptions callOptions;
  private final Duration timeout;
  private final FileDescriptorResolver resolver;
  private String service = V1;

  public ReflectionSchemaSource(Channel channel, CallOptions callOptions, Duration timeout) {
    this.channel = channel;
    this.callOptions = callOptions;
    this.timeout = timeout;
    this.resolver = new FileDescriptorResolver(this::fetchFile);
  }

  /** The reflection service that answered: v1, or v1alpha after v1 was UNIMPLEMENTED. */
  String version() {
    return service.equals(V1) ? "v1" : "v1alpha";
  }

  @Override
  public String describe() {
    return "server reflection " + version();
  }

  @Override
  public List<String> listServices() {
    ServerReflectionResponse response =
        ask(ServerReflectionRequest.newBuilder().setListServices("*").build());
    return response.getListServicesResponse().getServiceList().stream()
        .map(ServiceResponse::getName)
        .sorted()
        .toList();
  }

  @Override
  public FileDescriptor fileContainingSymbol(String symbol) {
    String name = symbol.replace('/', '.');
    ServerReflectionResponse response =
        ask(ServerReflectionRequest.newBuilder().setFileContainingSymbol(name).build());
    if (response.hasErrorResponse()) {
      // A method is not a symbol to every server: ask again for its service.
      int dot = name.lastIndexOf('.');
      if (dot > 0) {
        response =
            ask(
                ServerReflectionRequest.newBuilder()
                    .setFileContainingSymbol(name.substring(0, dot))
                    .build());
      }
      if (response.hasErrorResponse()) {
        throw new SchemaException(
            "the server knows no symbol "
                + symbol
                + " ("
                + response.getErrorResponse().getErrorMessage()
                + "); see: list");
      }
    }
    List<FileDescriptorProto> files = parse(response);
    resolver.addAll(files);
    // The first file is the one defining the symbol; the others are (some of) its imports.
    return resolver.build(files.get(0).getName());
  }

  private List<FileDescriptorProto> fetchFile(String fileName) {
    ServerReflectionResponse response =
        ask(ServerReflectionRequest.newBuilder().setFileByFilename(fileName).build());
    return response.hasErrorResponse() ? List.of() : parse(response);
  }

  private static List<FileDescriptorProto> parse(ServerReflectionResponse response) {
    List<FileDescriptorProto> files = new ArrayList<>();
    for (ByteString bytes : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      try {
        files.add(FileDescriptorProto.parseFrom(bytes));
      } catch (InvalidProtocolBufferException e) {
        throw new SchemaException("the server sent a broken file descriptor: " + e.getMessage());
      }
    }
    if (files.isEmpty()) {
      throw new SchemaException("the server's reflection answer held no file descriptor");
    }
    return files;
  }

  private ServerReflectionResponse ask(ServerReflectionRequest request) {
    try {
      return askOnce(request);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED || !service.equals(V1)) {
        throw e;
      }
      service = V1ALPHA;
      try {
        return askOnce(request);
      } catch (StatusRuntimeException again) {
        if (again.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
          throw new SchemaException(
              "the server offers no reflection (neither grpc.reflection.v1 nor v1alpha):"
                  + " give the schema with --protoset",
              again);
        }
        throw again;
      }
    }
  }

  /** One request on its own stream: reflection streams are cheap, and this keeps no state. */
  private ServerReflectionResponse askOnce(ServerReflectionRequest request) {
    MethodDescriptor<ServerReflectionRequest, ServerReflectionResponse> method =
        MethodDescriptor.<ServerReflectionRequest, ServerReflectionResponse>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName(
                MethodDescriptor.generateFullMethodName(service, "ServerReflectionInfo"))
            .setRequestMarshaller(
                ProtoUtils.marshaller(ServerReflectionRequest.getDefaultInstance()))
            .setResponseMarshaller(
                ProtoUtils.marshaller(ServerReflectionResponse.getDefaultInstance()))
            .build();
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ClientCalls.asyncBidiStreamingCall(
            channel.newCall(
                method, callOptions.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)),
            new StreamObserver<>() {
              @Override
              public void onNext(ServerReflectionResponse value) {
                answer.complete(value);
              }

              @Override
              public void onError(Throwable t) {
                answer.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {
                answer.completeExceptionally(
                    Status.INTERNAL
                        .withDescription("reflection stream ended without an answer")
                        .asRuntimeException());
              }
            });
    requests.onNext(request);
    requests.onCompleted();
    try {
      return answer.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withCause(e).asRuntimeException();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException sre) {
        throw sre;
      }
      throw Status.fromThrowable(e.getCause()).asRuntimeException();
    }
  }
}
