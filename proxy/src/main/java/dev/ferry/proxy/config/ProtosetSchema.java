package dev.ferry.proxy.config;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.nio.file.Path;
import java.util.List;

/**
 * A cluster's schema from FileDescriptorSet files instead of its server reflection, linked when the
 * config was loaded (a reload reads the files again).
 *
 * @param paths the files, as configured
 * @param files every .proto file of the sets, linked to its imports
 */
public record ProtosetSchema(List<Path> paths, List<FileDescriptor> files) {
  public ProtosetSchema {
    paths = List.copyOf(paths);
    files = List.copyOf(files);
  }

  /**
   * Equal when the paths and the files' contents are: a reload that read the same files keeps the
   * cluster (and its connections), one that read changed files replaces it.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof ProtosetSchema s
        && paths.equals(s.paths)
        && contents().equals(s.contents());
  }

  @Override
  public int hashCode() {
    return paths.hashCode();
  }

  private List<FileDescriptorProto> contents() {
    return files.stream().map(FileDescriptor::toProto).toList();
  }
}
