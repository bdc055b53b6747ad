package dev.ferry.proxy.schema;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds linked file descriptors from the serialized FileDescriptorProtos a reflection answer
 * carries. A well-known type's file the answer leaves out comes from protobuf-java itself, which is
 * the same file.
 */
final class SchemaFiles {
  private final Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
  private final Map<String, FileDescriptor> built = new HashMap<>();

  private SchemaFiles() {}

  /**
   * The files of {@code serialized}, linked to each other and to the well-known types.
   *
   * @throws IllegalArgumentException when a file is malformed, imports a file that is missing, or
   *     does not link
   */
  static List<FileDescriptor> build(List<byte[]> serialized) {
    SchemaFiles files = new SchemaFiles();
    for (byte[] b : serialized) {
      try {
        FileDescriptorProto p = FileDescriptorProto.parseFrom(b);
        files.protos.put(p.getName(), p);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException("a file descriptor is malformed: " + e.getMessage(), e);
      }
    }
    List<FileDescriptor> out = new ArrayList<>();
    for (String name : files.protos.keySet()) {
      out.add(files.file(name, new ArrayList<>()));
    }
    return out;
  }

  private FileDescriptor file(String name, List<String> importing) {
    FileDescriptor f = built.get(name);
    if (f != null) {
      return f;
    }
    FileDescriptorProto p = protos.get(name);
    if (p == null) {
      f = WellKnownProtos.get(name);
      if (f == null) {
        throw new IllegalArgumentException(
            "file "
                + name
                + " (imported by "
                + importing.get(importing.size() - 1)
                + ") is missing");
      }
      return f;
    }
    if (importing.contains(name)) {
      throw new IllegalArgumentException("files import each other: " + importing + " and " + name);
    }
    importing.add(name);
    FileDescriptor[] deps = new FileDescriptor[p.getDependencyCount()];
    for (int i = 0; i < deps.length; i++) {
      deps[i] = file(p.getDependency(i), importing);
    }
    importing.remove(importing.size() - 1);
    try {
      f = FileDescriptor.buildFrom(p, deps);
    } catch (DescriptorValidationException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
    built.put(name, f);
    return f;
  }
}
