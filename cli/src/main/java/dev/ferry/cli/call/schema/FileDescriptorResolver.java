package dev.ferry.cli.call.schema;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.ferry.proxy.schema.WellKnownProtos;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds {@link FileDescriptor}s from {@link FileDescriptorProto}s, dependencies first. A file it
 * does not have is asked of {@code fetch} (the reflection server, for instance); the well-known
 * types are built in, so a protoset made without {@code --include_imports} still loads.
 */
final class FileDescriptorResolver {
  private final Map<String, FileDescriptorProto> protos = new HashMap<>();
  private final Map<String, FileDescriptor> built = new HashMap<>();
  private final Function<String, List<FileDescriptorProto>> fetch;

  /** {@code fetch} returns the named file (and maybe others), or an empty list if unknown. */
  FileDescriptorResolver(Function<String, List<FileDescriptorProto>> fetch) {
    this.fetch = fetch;
  }

  /** Remembers files so that building them asks {@code fetch} for none of them. */
  void addAll(Iterable<FileDescriptorProto> files) {
    for (FileDescriptorProto file : files) {
      protos.putIfAbsent(file.getName(), file);
    }
  }

  /** Builds {@code name} and everything it imports. */
  FileDescriptor build(String name) {
    return build(name, new ArrayDeque<>());
  }

  private FileDescriptor build(String name, Deque<String> importing) {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    if (importing.contains(name)) {
      throw new SchemaSource.SchemaException(
          "import cycle: " + String.join(" -> ", importing) + " -> " + name);
    }
    FileDescriptorProto proto = protos.get(name);
    if (proto == null) {
      addAll(fetch.apply(name));
      proto = protos.get(name);
    }
    if (proto == null) {
      FileDescriptor wellKnown = WellKnownProtos.get(name);
      if (wellKnown != null) {
        built.put(name, wellKnown);
        return wellKnown;
      }
      String by = importing.isEmpty() ? "" : " (imported by " + importing.peek() + ")";
      throw new SchemaSource.SchemaException("no descriptor for file " + name + by);
    }
    importing.push(name);
    FileDescriptor[] dependencies = new FileDescriptor[proto.getDependencyCount()];
    for (int i = 0; i < dependencies.length; i++) {
      dependencies[i] = build(proto.getDependency(i), importing);
    }
    importing.pop();
    try {
      FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies);
      built.put(name, file);
      return file;
    } catch (DescriptorValidationException e) {
      throw new SchemaSource.SchemaException(
          "descriptor of " + name + " is invalid: " + e.getDescription(), e);
    }
  }
}
