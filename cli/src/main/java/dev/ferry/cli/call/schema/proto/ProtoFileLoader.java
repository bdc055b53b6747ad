package dev.ferry.cli.call.schema.proto;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.ferry.proxy.schema.WellKnownProtos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Loads .proto files as protoc does with {@code -I}: finds each file and its imports under the
 * import paths (the well-known types come built in), parses, links, and builds them dependencies
 * first. Every problem is a {@link ProtoSyntaxException} naming the file, line and column.
 */
public final class ProtoFileLoader {
  private final List<Path> importPaths;
  private final Map<String, FileDescriptor> built = new LinkedHashMap<>();

  /** {@code importPaths}: the directories imports are relative to, searched in order. */
  public ProtoFileLoader(List<Path> importPaths) {
    this.importPaths = List.copyOf(importPaths);
  }

  /**
   * Loads the files named on the command line: each is a name relative to an import path, or a path
   * to a file inside one of them.
   */
  public List<FileDescriptor> load(List<String> files) {
    List<FileDescriptor> loaded = new ArrayList<>();
    for (String file : files) {
      loaded.add(load(importName(file), new ArrayDeque<>(), null));
    }
    return loaded;
  }

  /** Every file loaded so far, the imported ones too, in the order they were built. */
  public Collection<FileDescriptor> allFiles() {
    return List.copyOf(built.values());
  }

  private String importName(String given) {
    String name = Path.of(given).normalize().toString().replace('\\', '/');
    // A name climbing out of the import path ("../x.proto") is no import name: find its root below.
    boolean relative = !Path.of(given).isAbsolute() && !name.startsWith("../");
    for (Path dir : importPaths) {
      if (relative && Files.isRegularFile(dir.resolve(name))) {
        return name;
      }
    }
    Path file = Path.of(given).toAbsolutePath().normalize();
    if (!Files.isRegularFile(file)) {
      throw new ProtoSyntaxException(
          given + ": no such file (looked in the import paths " + describePaths() + ")", null);
    }
    for (Path dir : importPaths) {
      Path root = dir.toAbsolutePath().normalize();
      if (file.startsWith(root)) {
        return root.relativize(file).toString().replace('\\', '/');
      }
    }
    throw new ProtoSyntaxException(
        given
            + ": not under any import path ("
            + describePaths()
            + "): give its directory with --import-path",
        null);
  }

  private FileDescriptor load(String name, Deque<String> importing, Token importedAt) {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptor wellKnown = WellKnownProtos.get(name);
    if (wellKnown != null) {
      return wellKnown;
    }
    if (importing.contains(name)) {
      List<String> chain = new ArrayList<>(importing);
      java.util.Collections.reverse(chain);
      throw new ProtoSyntaxException(
          importing.peek(),
          importedAt,
          "import cycle: " + String.join(" -> ", chain) + " -> " + name);
    }
    ParsedProto parsed = ProtoParser.parse(name, read(name, importing.peek(), importedAt));
    importing.push(name);
    FileDescriptorProto.Builder proto = parsed.file();
    FileDescriptor[] dependencies = new FileDescriptor[proto.getDependencyCount()];
    for (int i = 0; i < dependencies.length; i++) {
      String dependency = proto.getDependency(i);
      dependencies[i] = load(dependency, importing, parsed.imports().get(dependency));
    }
    importing.pop();
    SymbolTable symbols = new SymbolTable();
    symbols.addFile(proto.build());
    visible(List.of(dependencies)).forEach(f -> symbols.addFile(f.toProto()));
    new TypeLinker(name, symbols).link(parsed.references());
    try {
      FileDescriptor file = FileDescriptor.buildFrom(proto.build(), dependencies);
      built.put(name, file);
      return file;
    } catch (DescriptorValidationException e) {
      throw new ProtoSyntaxException(
          name + ": " + e.getProblemSymbolName() + ": " + e.getDescription(), e);
    }
  }

  /** The imported files and, through {@code import public}, the files they re-export. */
  private static Set<FileDescriptor> visible(List<FileDescriptor> imports) {
    Set<FileDescriptor> seen = new LinkedHashSet<>();
    Deque<FileDescriptor> todo = new ArrayDeque<>(imports);
    while (!todo.isEmpty()) {
      FileDescriptor file = todo.pop();
      if (seen.add(file)) {
        todo.addAll(file.getPublicDependencies());
      }
    }
    return seen;
  }

  private String read(String name, String importer, Token importedAt) {
    for (Path dir : importPaths) {
      Path file = dir.resolve(name);
      if (Files.isRegularFile(file)) {
        try {
          return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new ProtoSyntaxException(file + ": cannot read: " + e.getMessage(), e);
        }
      }
    }
    String message = "\"" + name + "\" not found in the import paths " + describePaths();
    if (importer == null) {
      throw new ProtoSyntaxException(message, null);
    }
    throw new ProtoSyntaxException(importer, importedAt, "import " + message);
  }

  private String describePaths() {
    return importPaths.stream().map(Path::toString).collect(Collectors.joining(", ", "[", "]"));
  }
}
