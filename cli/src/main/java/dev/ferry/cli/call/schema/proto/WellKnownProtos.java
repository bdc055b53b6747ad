package dev.ferry.cli.call.schema.proto;

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
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code google/protobuf/*.proto} files that protobuf-java carries compiled: an import of one
 * of them needs no file on disk, and gets the very descriptor the JSON printer knows.
 */
final class WellKnownProtos {
  private static final Map<String, FileDescriptor> FILES =
      Stream.of(
              AnyProto.getDescriptor(),
              ApiProto.getDescriptor(),
              DescriptorProtos.getDescriptor(),
              DurationProto.getDescriptor(),
              EmptyProto.getDescriptor(),
              FieldMaskProto.getDescriptor(),
              SourceContextProto.getDescriptor(),
              StructProto.getDescriptor(),
              TimestampProto.getDescriptor(),
              TypeProto.getDescriptor(),
              WrappersProto.getDescriptor(),
              // Not well-known types, but imported by every file with google.api.http rules.
              AnnotationsProto.getDescriptor(),
              HttpProto.getDescriptor())
          .collect(Collectors.toUnmodifiableMap(FileDescriptor::getName, Function.identity()));

  private WellKnownProtos() {}

  /** The bundled file named {@code name} (as imports write it), or null. */
  static FileDescriptor get(String name) {
    return FILES.get(name);
  }
}
