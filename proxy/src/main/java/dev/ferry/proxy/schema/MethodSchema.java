package dev.ferry.proxy.schema;

import com.google.protobuf.DescriptorProtos.MethodOptions.IdempotencyLevel;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

/**
 * One method's request and response types, and their messages in proto3's canonical JSON (the form
 * Connect and HTTP/JSON clients send): read with unknown fields ignored, as connect-go does, and
 * written without insignificant whitespace.
 */
public final class MethodSchema {
  private final MethodDescriptor method;
  private final JsonFormat.Parser parser;
  private final JsonFormat.Printer printer;

  MethodSchema(MethodDescriptor method, JsonFormat.Parser parser, JsonFormat.Printer printer) {
    this.method = method;
    this.parser = parser;
    this.printer = printer;
  }

  /**
   * The schema of {@code method} from its own file and the files it imports (for a schema that
   * comes from files rather than from a cluster's reflection).
   */
  public static MethodSchema of(MethodDescriptor method) {
    return ClusterSchemas.methodsOf(
            method.getService().getFullName(), java.util.List.of(method.getFile()))
        .get(method.getName());
  }

  /** The method as its file describes it: options, request and response types. */
  public MethodDescriptor descriptor() {
    return method;
  }

  /** {@code helloworld.Greeter/SayHello}. */
  public String name() {
    return method.getService().getFullName() + "/" + method.getName();
  }

  public boolean clientStreaming() {
    return method.isClientStreaming();
  }

  public boolean serverStreaming() {
    return method.isServerStreaming();
  }

  /** Whether the method is marked {@code idempotency_level = NO_SIDE_EFFECTS}. */
  public boolean hasNoSideEffects() {
    return method.getOptions().getIdempotencyLevel() == IdempotencyLevel.NO_SIDE_EFFECTS;
  }

  public String requestType() {
    return method.getInputType().getFullName();
  }

  public String responseType() {
    return method.getOutputType().getFullName();
  }

  /**
   * The request message {@code json} stands for, in protobuf's binary form.
   *
   * @throws InvalidProtocolBufferException when {@code json} is not JSON of the request type; its
   *     message names the problem
   */
  public byte[] requestFromJson(String json) throws InvalidProtocolBufferException {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(method.getInputType());
    parser.merge(json, b);
    return b.build().toByteArray();
  }

  /**
   * A response message in JSON.
   *
   * @throws InvalidProtocolBufferException when {@code message} is not of the response type
   */
  public String responseToJson(byte[] message) throws InvalidProtocolBufferException {
    return printer.print(DynamicMessage.parseFrom(method.getOutputType(), message));
  }
}
