package dev.ferry.cli.trace;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.ferry.proxy.trace.Direction;
import dev.ferry.proxy.trace.MessageDecoder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes messages to JSON with schemas, wherever they came from (a protoset, server reflection):
 * the method's input type for requests, its output type for responses.
 */
public final class SchemaMessageDecoder implements MessageDecoder {
  private final Map<String, MethodDescriptor> methods = new HashMap<>();
  private final JsonFormat.Printer printer;

  private SchemaMessageDecoder(List<FileDescriptor> files) {
    JsonFormat.TypeRegistry.Builder types = JsonFormat.TypeRegistry.newBuilder();
    for (FileDescriptor file : files) {
      // The registry keeps the first file of each name, so two sources sending the same file
      // (a protoset and reflection) add its types once.
      types.add(file.getMessageTypes());
      for (ServiceDescriptor service : file.getServices()) {
        for (MethodDescriptor method : service.getMethods()) {
          methods.putIfAbsent(service.getFullName() + "/" + method.getName(), method);
        }
      }
    }
    printer =
        JsonFormat.printer()
            .usingTypeRegistry(types.build())
            .preservingProtoFieldNames()
            .omittingInsignificantWhitespace();
  }

  /**
   * A decoder for the methods of {@code files}; where two files define the same method, the first
   * one wins, so a protoset given first overrides what reflection says.
   */
  public static SchemaMessageDecoder of(List<FileDescriptor> files) {
    return new SchemaMessageDecoder(files);
  }

  @Override
  public String toJson(String path, Direction direction, byte[] message) {
    MethodDescriptor method = methods.get(path.startsWith("/") ? path.substring(1) : path);
    if (method == null) {
      return null;
    }
    try {
      DynamicMessage m =
          DynamicMessage.parseFrom(
              direction == Direction.CLIENT_TO_SERVER
                  ? method.getInputType()
                  : method.getOutputType(),
              message);
      return printer.print(m);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }
}
