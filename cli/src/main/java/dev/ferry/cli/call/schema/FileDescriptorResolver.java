package dev.ferry.cli.call.schema;

import com.google.api.AnnotationsProto;
import com.google.api.HttpProto;
import com.google.protobuf.AnyProto;
import com.google.protobuf.ApiProto;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DurationProto;
import com.google.protobuf.EmptyProto;
import com.google.protobuf.FieldMaskProto;
import com.google.protobuf.SourceContextProto;
import com.google.protobuf.StructProto;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.TypeProto;
import com.google.protobuf.WrappersProto;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Builds {@link FileDescriptor}s from {@link FileDescriptorProto}s, dependencies first. A file it
 * does not have is asked of {@code fetch} (the reflection server, for instance); the well-known
 * types (and google.api's annotations) are built in, so a protoset made without {@code
 * --include_imports} still loads.
 */
final class FileDescriptorResolver {
  /**
   * By file name, each built only when a schema imports it: building them all had cost a one-shot
   * call by reflection a twentieth of its CPU time, for files most services never import.
   */
  static final Map<String, Supplier<FileDescriptor>> WELL_KNOWN =
      Map.ofEntries(
          Map.entry("google/protobuf/any.proto", AnyProto::getDescriptor),
          Map.entry("google/protobuf/api.proto", ApiProto::getDescriptor),
          Map.entry("google/protobuf/duration.proto", DurationProto::getDescriptor),
          Map.entry("google/protobuf/empty.proto", EmptyProto::getDescriptor),
          Map.entry("google/protobuf/field_mask.proto", FieldMaskProto::getDescriptor),
          Map.entry("google/protobuf/source_context.proto", SourceContextProto::getDescriptor),
          Map.entry("google/protobuf/struct.proto", StructProto::getDescriptor),
          Map.entry("google/protobuf/timestamp.proto", TimestampProto::getDescriptor),
          Map.entry("google/protobuf/type.proto", TypeProto::getDescriptor),
          Map.entry("google/protobuf/wrappers.proto", WrappersProto::getDescriptor),
          Map.entry("google/protobuf/descriptor.proto", DescriptorProtos::getDescriptor),
          // Not well-known types, but imported by every file with google.api.http rules.
          Map.entry("google/api/annotations.proto", AnnotationsProto::getDescriptor),
          Map.entry("google/api/http.proto", HttpProto::getDescriptor));

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
      Supplier<FileDescriptor> wellKnownFile = WELL_KNOWN.get(name);
      if (wellKnownFile != null) {
        FileDescriptor wellKnown = wellKnownFile.get();
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
