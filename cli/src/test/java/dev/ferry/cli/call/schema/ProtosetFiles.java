package dev.ferry.cli.call.schema;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes protosets for the tests that give ferry call its schema by --protoset. */
public final class ProtosetFiles {
  private ProtosetFiles() {}

  /** A FileDescriptorSet of {@code files} as {@code dir/example.protoset}. */
  public static Path write(Path dir, FileDescriptor... files) throws IOException {
    FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
    for (FileDescriptor f : files) {
      set.addFile(f.toProto());
    }
    Path path = dir.resolve("example.protoset");
    Files.write(path, set.build().toByteArray());
    return path;
  }
}
