package dev.ferry.proxy.e2e;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.TimestampProto;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoFileDescriptorSupplier;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;

/**
 * A service built at run time from a descriptor, for what the example protos do not have: a method
 * marked {@code idempotency_level = NO_SIDE_EFFECTS} (Connect's GET), a well-known type (a
 * Timestamp) in its messages, and a schema that changes while the server runs.
 *
 * <pre>
 * package ferrytest;
 * message Query { string q = 1; google.protobuf.Timestamp at = 2; }
 * message Answer { string &lt;answerField&gt; = 1; google.protobuf.Timestamp at = 2; }
 * service Lookup {
 *   rpc Find (Query) returns (Answer) { option idempotency_level = NO_SIDE_EFFECTS; }
 *   rpc FindMore (Query) returns (Answer);   // with {@code withFindMore} only
 * }
 * </pre>
 *
 * Every method answers {@code "found " + q} and the query's time.
 */
final class LookupService {
  static final String SERVICE = "ferrytest.Lookup";

  private LookupService() {}

  /** The service, its answer's first field named {@code answerField}. */
  static ServerServiceDefinition define(String answerField, boolean withFindMore) {
    FileDescriptor file = file(answerField, withFindMore);
    Descriptor query = file.findMessageTypeByName("Query");
    Descriptor answer = file.findMessageTypeByName("Answer");
    ServiceDescriptor.Builder service =
        ServiceDescriptor.newBuilder(SERVICE)
            .setSchemaDescriptor((ProtoFileDescriptorSupplier) () -> file);
    ServerServiceDefinition.Builder def = null;
    String[] names = withFindMore ? new String[] {"Find", "FindMore"} : new String[] {"Find"};
    MethodDescriptor<?, ?>[] methods = new MethodDescriptor<?, ?>[names.length];
    for (int i = 0; i < names.length; i++) {
      methods[i] = method(names[i], query, answer);
      service.addMethod(methods[i]);
    }
    def = ServerServiceDefinition.builder(service.build());
    for (MethodDescriptor<?, ?> m : methods) {
      @SuppressWarnings("unchecked")
      MethodDescriptor<DynamicMessage, DynamicMessage> typed =
          (MethodDescriptor<DynamicMessage, DynamicMessage>) m;
      def.addMethod(
          typed,
          ServerCalls.asyncUnaryCall(
              (req, out) -> {
                DynamicMessage.Builder a = DynamicMessage.newBuilder(answer);
                a.setField(
                    answer.findFieldByNumber(1),
                    "found " + req.getField(query.findFieldByName("q")));
                if (req.hasField(query.findFieldByName("at"))) {
                  a.setField(
                      answer.findFieldByName("at"), req.getField(query.findFieldByName("at")));
                }
                out.onNext(a.build());
                out.onCompleted();
              }));
    }
    return def.build();
  }

  private static MethodDescriptor<DynamicMessage, DynamicMessage> method(
      String name, Descriptor query, Descriptor answer) {
    return MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(SERVICE + "/" + name)
        .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(query)))
        .setResponseMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(answer)))
        .build();
  }

  private static FileDescriptor file(String answerField, boolean withFindMore) {
    FieldDescriptorProto at =
        FieldDescriptorProto.newBuilder()
            .setName("at")
            .setNumber(2)
            .setType(FieldDescriptorProto.Type.TYPE_MESSAGE)
            .setTypeName(".google.protobuf.Timestamp")
            .build();
    ServiceDescriptorProto.Builder service =
        ServiceDescriptorProto.newBuilder()
            .setName("Lookup")
            .addMethod(
                MethodDescriptorProto.newBuilder()
                    .setName("Find")
                    .setInputType(".ferrytest.Query")
                    .setOutputType(".ferrytest.Answer")
                    .setOptions(
                        MethodOptions.newBuilder()
                            .setIdempotencyLevel(MethodOptions.IdempotencyLevel.NO_SIDE_EFFECTS)));
    if (withFindMore) {
      service.addMethod(
          MethodDescriptorProto.newBuilder()
              .setName("FindMore")
              .setInputType(".ferrytest.Query")
              .setOutputType(".ferrytest.Answer"));
    }
    FileDescriptorProto proto =
        FileDescriptorProto.newBuilder()
            .setName("ferrytest/lookup-" + answerField + (withFindMore ? "-more" : "") + ".proto")
            .setPackage("ferrytest")
            .setSyntax("proto3")
            .addDependency("google/protobuf/timestamp.proto")
            .addMessageType(
                DescriptorProto.newBuilder().setName("Query").addField(string("q")).addField(at))
            .addMessageType(
                DescriptorProto.newBuilder()
                    .setName("Answer")
                    .addField(string(answerField))
                    .addField(at))
            .addService(service)
            .build();
    try {
      return FileDescriptor.buildFrom(proto, new FileDescriptor[] {TimestampProto.getDescriptor()});
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static FieldDescriptorProto string(String name) {
    return FieldDescriptorProto.newBuilder()
        .setName(name)
        .setNumber(1)
        .setType(FieldDescriptorProto.Type.TYPE_STRING)
        .build();
  }
}
