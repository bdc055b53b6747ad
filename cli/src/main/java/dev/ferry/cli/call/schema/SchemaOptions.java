package dev.ferry.cli.call.schema;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where a schema comes from besides server reflection: protosets or .proto sources (call, trace).
 */
public final class SchemaOptions {
  @Option(
      names = "--protoset",
      paramLabel = "FILE",
      description =
          "Learn the schema from a FileDescriptorSet (protoc --descriptor_set_out"
              + " --include_imports, buf build -o) (repeatable).")
  public List<Path> protosets = new ArrayList<>();

  @Option(
      names = "--proto",
      paramLabel = "FILE",
      description =
          "Learn the schema from .proto source (repeatable); no protoc needed. Names are"
              + " relative to an --import-path, as protoc's are.")
  public List<String> protos = new ArrayList<>();

  @Option(
      names = "--import-path",
      paramLabel = "DIR",
      description =
          "Where --proto files and their imports are found (repeatable; default: the current"
              + " directory and each file's own). google/protobuf/*.proto are built in.")
  public List<Path> importPaths = new ArrayList<>();
}
