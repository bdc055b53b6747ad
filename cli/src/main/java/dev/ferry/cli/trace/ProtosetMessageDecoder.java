package dev.ferry.cli.trace;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.ferry.proxy.trace.Direction;
import dev.ferry.proxy.trace.MessageDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes messages to JSON with the schemas of a protoset ({@code protoc --descriptor_set_out
 * --include_imports}): the method's input type for requests, its output type for responses.
 */
public final class ProtosetMessageDecoder implements MessageDecoder {
  private final Map<String, MethodDescriptor> methods = new HashMap<>();
  private final JsonFormat.Printer printer;

  private ProtosetMessageDecoder(List<FileDescriptor> files) {
    JsonFormat.TypeRegistry.Builder types = JsonFormat.TypeRegistry.newBuilder();
    for (FileDescriptor file : files) {
      types.add(file.getMessageTypes());
      for (ServiceDescriptor service : file.getServices()) {
        for (MethodDescriptor method : service.getMethods()) {
          methods.put(service.getFullName() + "/" + method.getName(), method);
        }
      }
    }
    printer =
        JsonFormat.printer().usingTypeRegistry(types.build()).omittingInsignificantWhitespace();
  }

  /**
   * Reads the protosets at {@code paths}.
   *
   * @throws IOException naming the file that cannot be read or is not a FileDescriptorSet
   */
  public static ProtosetMessageDecoder load(List<Path> paths) throws IOException {
    Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
    for (Path path : paths) {
      try (InputStream in = Files.newInputStream(path)) {
        for (FileDescriptorProto p : FileDescriptorSet.parseFrom(in).getFileList()) {
          protos.putIfAbsent(p.getName(), p);
        }
      } catch (InvalidProtocolBufferException e) {
        throw new IOException(path + ": not a FileDescriptorSet (" + e.getMessage() + ")", e);
      }
    }
    Map<String, FileDescriptor> built = new HashMap<>();
    for (String name : protos.keySet()) {
      build(name, protos, built);
    }
    return new ProtosetMessageDecoder(List.copyOf(built.values()));
  }

  private static FileDescriptor build(
      String name, Map<String, FileDescriptorProto> protos, Map<String, FileDescriptor> built)
      throws IOException {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    if (proto == null) {
      FileDescriptor wellKnown = WellKnownTypes.byFileName(name);
      if (wellKnown == null) {
        throw new IOException(
            "the protoset lacks " + name + ": build it with protoc --include_imports");
      }
      built.put(name, wellKnown);
      return wellKnown;
    }
    FileDescriptor[] dependencies = new FileDescriptor[proto.getDependencyCount()];
    for (int i = 0; i < dependencies.length; i++) {
      dependencies[i] = build(proto.getDependency(i), protos, built);
    }
    try {
      FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies);
      built.put(name, file);
      return file;
    } catch (DescriptorValidationException e) {
      throw new IOException(name + ": " + e.getMessage(), e);
    }
  }

  /** The number of methods the protosets describe. */
  public int methodCount() {
    return methods.size();
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
