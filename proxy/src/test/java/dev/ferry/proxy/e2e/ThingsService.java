package dev.ferry.proxy.e2e;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Any;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DurationProto;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.FieldMaskProto;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.WrappersProto;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoFileDescriptorSupplier;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;

/**
 * A service annotated with {@code google.api.http}, built at run time from a descriptor, for what
 * the example protos do not have: every kind of binding, nested and repeated fields, well-known
 * types, an error with details, and a method that appears while the server runs.
 *
 * <pre>
 * package ferrytest;
 * message Part { string id = 1; int64 size = 2; }
 * message Thing { string name = 1; Part part = 2; repeated string tags = 3; int32 count = 4;
 *   google.protobuf.Timestamp at = 5; google.protobuf.Duration wait = 6;
 *   google.protobuf.Int64Value limit = 7; google.protobuf.FieldMask mask = 8; }
 * service Things {            // every method answers the Thing it was sent, but Fail
 *   rpc Get (Thing) returns (Thing)      { get: "/v1/things/{name}"
 *                                          additional_bindings { get: "/v1/{name=shelves/*}/first" } }
 *   rpc Create (Thing) returns (Thing)   { post: "/v1/things" body: "*" }
 *   rpc SetPart (Thing) returns (Thing)  { patch: "/v1/things/{name}/part" body: "part" }
 *   rpc GetPart (Thing) returns (Thing)  { get: "/v1/parts/{part.id}" response_body: "part" }
 *   rpc Fail (Thing) returns (Thing)     { get: "/v1/fail/{name}" }  // NOT_FOUND, an ErrorInfo
 *   rpc Added (Thing) returns (Thing)    { get: "/v1/added/{name}" } // with {@code withAdded}
 *   rpc Repeat (Thing) returns (stream Thing) { get: "/v1/things/{name}:repeat" }
 *     // count copies, then ABORTED "enough" when a tag is "fail"
 * }
 * </pre>
 */
public final class ThingsService {
  public static final String SERVICE = "ferrytest.Things";

  private ThingsService() {}

  /** The service, with method Added when {@code withAdded}. */
  static ServerServiceDefinition define(boolean withAdded) {
    FileDescriptor file = file(withAdded);
    Descriptor thing = file.findMessageTypeByName("Thing");
    ServiceDescriptor.Builder service =
        ServiceDescriptor.newBuilder(SERVICE)
            .setSchemaDescriptor((ProtoFileDescriptorSupplier) () -> file);
    var methods = file.findServiceByName("Things").getMethods();
    java.util.List<MethodDescriptor<DynamicMessage, DynamicMessage>> grpcMethods =
        new java.util.ArrayList<>();
    for (var m : methods) {
      MethodDescriptor<DynamicMessage, DynamicMessage> g =
          MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
              .setType(
                  m.isServerStreaming()
                      ? MethodDescriptor.MethodType.SERVER_STREAMING
                      : MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(SERVICE + "/" + m.getName())
              .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(thing)))
              .setResponseMarshaller(
                  ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(thing)))
              .build();
      grpcMethods.add(g);
      service.addMethod(g);
    }
    ServerServiceDefinition.Builder def = ServerServiceDefinition.builder(service.build());
    for (MethodDescriptor<DynamicMessage, DynamicMessage> g : grpcMethods) {
      if (g.getType() == MethodDescriptor.MethodType.SERVER_STREAMING) {
        def.addMethod(
            g, ServerCalls.asyncServerStreamingCall((req, out) -> repeat(thing, req, out)));
        continue;
      }
      boolean fail = g.getBareMethodName().equals("Fail");
      def.addMethod(
          g,
          ServerCalls.asyncUnaryCall(
              (req, out) -> {
                if (fail) {
                  String name = (String) req.getField(thing.findFieldByName("name"));
                  out.onError(
                      StatusProto.toStatusRuntimeException(
                          com.google.rpc.Status.newBuilder()
                              .setCode(Code.NOT_FOUND_VALUE)
                              .setMessage("no thing " + name)
                              .addDetails(
                                  Any.pack(
                                      ErrorInfo.newBuilder()
                                          .setReason("THING_MISSING")
                                          .setDomain("ferry.test")
                                          .build()))
                              .build()));
                  return;
                }
                out.onNext(req);
                out.onCompleted();
              }));
    }
    return def.build();
  }

  private static void repeat(
      Descriptor thing, DynamicMessage req, io.grpc.stub.StreamObserver<DynamicMessage> out) {
    int count = (Integer) req.getField(thing.findFieldByName("count"));
    for (int i = 0; i < count; i++) {
      out.onNext(req);
    }
    if (((java.util.List<?>) req.getField(thing.findFieldByName("tags"))).contains("fail")) {
      out.onError(io.grpc.Status.ABORTED.withDescription("enough").asRuntimeException());
    } else {
      out.onCompleted();
    }
  }

  /** The file of the service, with method Added when {@code withAdded}. */
  public static FileDescriptor file(boolean withAdded) {
    ServiceDescriptorProto.Builder service =
        ServiceDescriptorProto.newBuilder()
            .setName("Things")
            .addMethod(
                method(
                    "Get",
                    HttpRule.newBuilder()
                        .setGet("/v1/things/{name}")
                        .addAdditionalBindings(
                            HttpRule.newBuilder().setGet("/v1/{name=shelves/*}/first"))))
            .addMethod(method("Create", HttpRule.newBuilder().setPost("/v1/things").setBody("*")))
            .addMethod(
                method(
                    "SetPart",
                    HttpRule.newBuilder().setPatch("/v1/things/{name}/part").setBody("part")))
            .addMethod(
                method(
                    "GetPart",
                    HttpRule.newBuilder().setGet("/v1/parts/{part.id}").setResponseBody("part")))
            .addMethod(method("Fail", HttpRule.newBuilder().setGet("/v1/fail/{name}")))
            .addMethod(
                method("Repeat", HttpRule.newBuilder().setGet("/v1/things/{name}:repeat"))
                    .setServerStreaming(true));
    if (withAdded) {
      service.addMethod(method("Added", HttpRule.newBuilder().setGet("/v1/added/{name}")));
    }
    FileDescriptorProto proto =
        FileDescriptorProto.newBuilder()
            .setName("ferrytest/things" + (withAdded ? "-added" : "") + ".proto")
            .setPackage("ferrytest")
            .setSyntax("proto3")
            .addDependency("google/api/annotations.proto")
            .addDependency("google/protobuf/timestamp.proto")
            .addDependency("google/protobuf/duration.proto")
            .addDependency("google/protobuf/wrappers.proto")
            .addDependency("google/protobuf/field_mask.proto")
            .addMessageType(
                DescriptorProto.newBuilder()
                    .setName("Part")
                    .addField(field("id", 1, Type.TYPE_STRING, null, false))
                    .addField(field("size", 2, Type.TYPE_INT64, null, false)))
            .addMessageType(
                DescriptorProto.newBuilder()
                    .setName("Thing")
                    .addField(field("name", 1, Type.TYPE_STRING, null, false))
                    .addField(field("part", 2, Type.TYPE_MESSAGE, ".ferrytest.Part", false))
                    .addField(field("tags", 3, Type.TYPE_STRING, null, true))
                    .addField(field("count", 4, Type.TYPE_INT32, null, false))
                    .addField(
                        field("at", 5, Type.TYPE_MESSAGE, ".google.protobuf.Timestamp", false))
                    .addField(
                        field("wait", 6, Type.TYPE_MESSAGE, ".google.protobuf.Duration", false))
                    .addField(
                        field("limit", 7, Type.TYPE_MESSAGE, ".google.protobuf.Int64Value", false))
                    .addField(
                        field("mask", 8, Type.TYPE_MESSAGE, ".google.protobuf.FieldMask", false)))
            .addService(service)
            .build();
    try {
      return FileDescriptor.buildFrom(
          proto,
          new FileDescriptor[] {
            AnnotationsProto.getDescriptor(),
            TimestampProto.getDescriptor(),
            DurationProto.getDescriptor(),
            WrappersProto.getDescriptor(),
            FieldMaskProto.getDescriptor()
          });
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static MethodDescriptorProto.Builder method(String name, HttpRule.Builder rule) {
    return MethodDescriptorProto.newBuilder()
        .setName(name)
        .setInputType(".ferrytest.Thing")
        .setOutputType(".ferrytest.Thing")
        .setOptions(MethodOptions.newBuilder().setExtension(AnnotationsProto.http, rule.build()));
  }

  private static FieldDescriptorProto field(
      String name, int number, Type type, String typeName, boolean repeated) {
    FieldDescriptorProto.Builder f =
        FieldDescriptorProto.newBuilder()
            .setName(name)
            .setNumber(number)
            .setType(type)
            .setLabel(repeated ? Label.LABEL_REPEATED : Label.LABEL_OPTIONAL);
    if (typeName != null) {
      f.setTypeName(typeName);
    }
    return f.build();
  }
}
