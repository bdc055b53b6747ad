package dev.ferry.testservers;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiled protos as the FileDescriptorSet that {@code protoc --include_imports
 * --descriptor_set_out} writes: every file with what it imports, imports first, and each field's
 * json_name set. Clients that build their services from a set (connect-es, a protoset) need both;
 * the descriptors compiled into Java classes leave json_name out.
 */
public final class DescriptorSets {
  private DescriptorSets() {}

  public static FileDescriptorSet of(FileDescriptor... files) {
    Map<String, FileDescriptorProto> byName = new LinkedHashMap<>();
    for (FileDescriptor f : files) {
      add(f, byName);
    }
    return FileDescriptorSet.newBuilder().addAllFile(byName.values()).build();
  }

  private static void add(FileDescriptor f, Map<String, FileDescriptorProto> byName) {
    if (byName.containsKey(f.getName())) {
      return;
    }
    for (FileDescriptor dependency : f.getDependencies()) {
      add(dependency, byName);
    }
    FileDescriptorProto.Builder proto = f.toProto().toBuilder();
    for (int i = 0; i < f.getMessageTypes().size(); i++) {
      withJsonNames(proto.getMessageTypeBuilder(i), f.getMessageTypes().get(i));
    }
    byName.put(f.getName(), proto.build());
  }

  private static void withJsonNames(DescriptorProto.Builder proto, Descriptor message) {
    for (int i = 0; i < message.getFields().size(); i++) {
      proto.getFieldBuilder(i).setJsonName(message.getFields().get(i).getJsonName());
    }
    for (int i = 0; i < message.getNestedTypes().size(); i++) {
      withJsonNames(proto.getNestedTypeBuilder(i), message.getNestedTypes().get(i));
    }
  }
}
