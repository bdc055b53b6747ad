package dev.ferry.cli.call.schema;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.ferry.cli.call.schema.proto.ProtoFileLoader;
import dev.ferry.cli.call.schema.proto.ProtoSyntaxException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The schema read from .proto source files ({@code --proto}, imports found under {@code
 * --import-path}), parsed by ferry itself so that no protoc is needed.
 */
final class ProtoFileSchemaSource implements SchemaSource {
  private final Collection<FileDescriptor> files;

  private ProtoFileSchemaSource(Collection<FileDescriptor> files) {
    this.files = files;
  }

  /**
   * Loads {@code protos} and their imports; an empty {@code importPaths} means the current
   * directory. A file that cannot be found or parsed is a SchemaException saying file:line:col.
   */
  static ProtoFileSchemaSource load(List<String> protos, List<Path> importPaths) {
    ProtoFileLoader loader =
        new ProtoFileLoader(importPaths.isEmpty() ? defaultPaths(protos) : importPaths);
    try {
      loader.load(protos);
    } catch (ProtoSyntaxException e) {
      throw new SchemaException("--proto: " + e.getMessage(), e);
    }
    return new ProtoFileSchemaSource(loader.allFiles());
  }

  /** Every file loaded, imports included. */
  List<FileDescriptor> files() {
    return List.copyOf(files);
  }

  /**
   * Without --import-path: the current directory, then each file's own directory, so that {@code
   * --proto ../api/x.proto} works as typed (its imports are then relative to either).
   */
  private static List<Path> defaultPaths(List<String> protos) {
    Set<Path> paths = new LinkedHashSet<>();
    paths.add(Path.of("."));
    for (String proto : protos) {
      Path parent = Path.of(proto).toAbsolutePath().normalize().getParent();
      if (parent != null) {
        paths.add(parent);
      }
    }
    return List.copyOf(paths);
  }

  @Override
  public String describe() {
    return "--proto";
  }

  @Override
  public List<String> listServices() {
    TreeSet<String> services = new TreeSet<>();
    for (FileDescriptor file : files) {
      for (ServiceDescriptor service : file.getServices()) {
        services.add(service.getFullName());
      }
    }
    return List.copyOf(services);
  }

  @Override
  public FileDescriptor fileContainingSymbol(String symbol) {
    for (FileDescriptor file : files) {
      if (Symbols.find(file, symbol).isPresent()) {
        return file;
      }
    }
    throw new SchemaException("no symbol " + symbol + " in the --proto files");
  }
}
