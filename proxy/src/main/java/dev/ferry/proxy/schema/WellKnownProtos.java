package dev.ferry.proxy.schema;

import com.google.api.AnnotationsProto;
import com.google.api.HttpProto;
import com.google.protobuf.AnyProto;
import com.google.protobuf.ApiProto;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DurationProto;
import com.google.protobuf.EmptyProto;
import com.google.protobuf.FieldMaskProto;
import com.google.protobuf.SourceContextProto;
import com.google.protobuf.StructProto;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.TypeProto;
import com.google.protobuf.WrappersProto;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@code google/protobuf/*.proto} files that protobuf-java carries compiled, and google.api's
 * annotations that common-protos does: a schema that imports one needs no copy of it (a reflection
 * answer or protoset may leave it out), and gets the very descriptor the JSON printer knows.
 */
public final class WellKnownProtos {
  /**
   * By file name, each built only when a schema imports it: building them all had cost a one-shot
   * call by reflection a twentieth of its CPU time, for files most services never import.
   */
  private static final Map<String, Supplier<FileDescriptor>> FILES =
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

  private WellKnownProtos() {}

  /** The file named {@code name} (as imports write it), or null when it is not one of them. */
  public static FileDescriptor get(String name) {
    Supplier<FileDescriptor> file = FILES.get(name);
    return file == null ? null : file.get();
  }

  /** Their names. */
  public static Set<String> names() {
    return FILES.keySet();
  }
}
