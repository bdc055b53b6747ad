package dev.ferry.proxy.config;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a cluster's {@code schema: { protoset: FILE | [FILES] }}: FileDescriptorSets as {@code
 * protoc --include_imports --descriptor_set_out} writes them, parsed and linked when the config is
 * loaded, so that {@code --check}, start and a reload refuse a broken set at the key's line and no
 * event loop ever reads a file.
 */
final class ProtosetReader {
  private final Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
  private final Map<String, FileDescriptor> built = new HashMap<>();

  private ProtosetReader() {}

  /** The linked schema, or {@code null} after reporting. */
  static ProtosetSchema read(YamlValue value) {
    YamlMapping m = value.mapping("protoset");
    if (m == null) {
      return null;
    }
    YamlValue files = m.require("protoset", "a FileDescriptorSet file, or a list of them");
    if (files == null) {
      return null;
    }
    List<YamlValue> items = files.isScalar() ? List.of(files) : files.list("a file name");
    if (items == null) {
      return null;
    }
    if (items.isEmpty()) {
      files.error("no file (expected: a FileDescriptorSet file, or a list of them)");
      return null;
    }
    ProtosetReader reader = new ProtosetReader();
    List<Path> paths = new ArrayList<>();
    for (YamlValue item : items) {
      Path p = TlsReader.file(item);
      if (p == null || !reader.add(item, p)) {
        return null;
      }
      paths.add(p);
    }
    return reader.link(files, paths);
  }

  private boolean add(YamlValue item, Path p) {
    FileDescriptorSet set;
    try {
      set = FileDescriptorSet.parseFrom(Files.readAllBytes(p));
    } catch (InvalidProtocolBufferException e) {
      item.error(p + ": not a FileDescriptorSet (" + e.getMessage() + ")");
      return false;
    } catch (IOException e) {
      item.error("cannot read " + p + ": " + e.getMessage());
      return false;
    }
    // Any bytes might parse as an empty message; a set without a named file is not one.
    if (set.getFileCount() == 0
        || set.getFileList().stream().anyMatch(f -> f.getName().isEmpty())) {
      item.error(p + ": not a FileDescriptorSet (no named .proto file in it)");
      return false;
    }
    for (FileDescriptorProto f : set.getFileList()) {
      protos.putIfAbsent(f.getName(), f);
    }
    return true;
  }

  private ProtosetSchema link(YamlValue files, List<Path> paths) {
    Map<String, String> missing = new LinkedHashMap<>(); // file -> the first file importing it
    for (FileDescriptorProto p : protos.values()) {
      for (String d : p.getDependencyList()) {
        if (!protos.containsKey(d)) {
          missing.putIfAbsent(d, d + " (imported by " + p.getName() + ")");
        }
      }
    }
    if (!missing.isEmpty()) {
      files.error(
          paths
              + ": imports missing from the set: "
              + String.join(", ", missing.values())
              + " (write it with protoc --include_imports)");
      return null;
    }
    List<FileDescriptor> out = new ArrayList<>();
    try {
      for (String name : protos.keySet()) {
        out.add(file(name, new ArrayList<>()));
      }
    } catch (DescriptorValidationException e) {
      files.error(paths + ": does not link: " + e.getMessage());
      return null;
    } catch (IllegalArgumentException e) {
      files.error(paths + ": " + e.getMessage());
      return null;
    }
    return new ProtosetSchema(paths, out);
  }

  private FileDescriptor file(String name, List<String> importing)
      throws DescriptorValidationException {
    FileDescriptor f = built.get(name);
    if (f != null) {
      return f;
    }
    if (importing.contains(name)) {
      throw new IllegalArgumentException("files import each other: " + importing + " and " + name);
    }
    importing.add(name);
    FileDescriptorProto p = protos.get(name);
    FileDescriptor[] deps = new FileDescriptor[p.getDependencyCount()];
    for (int i = 0; i < deps.length; i++) {
      deps[i] = file(p.getDependency(i), importing);
    }
    importing.remove(importing.size() - 1);
    f = FileDescriptor.buildFrom(p, deps);
    built.put(name, f);
    return f;
  }
}
