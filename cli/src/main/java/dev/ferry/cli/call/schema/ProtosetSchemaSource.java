package dev.ferry.cli.call.schema;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The schema read from FileDescriptorSet files, as {@code protoc --descriptor_set_out
 * --include_imports} or {@code buf build -o} write them: no server needed to learn it.
 */
final class ProtosetSchemaSource implements SchemaSource {
  private final List<FileDescriptor> files = new ArrayList<>();

  private ProtosetSchemaSource(List<FileDescriptorProto> protos) {
    FileDescriptorResolver resolver = new FileDescriptorResolver(name -> List.of());
    resolver.addAll(protos);
    for (FileDescriptorProto proto : protos) {
      files.add(resolver.build(proto.getName()));
    }
  }

  /** Reads every file in {@code paths}; a missing or non-descriptor file is a SchemaException. */
  static ProtosetSchemaSource load(List<Path> paths) {
    List<FileDescriptorProto> protos = new ArrayList<>();
    for (Path path : paths) {
      try (InputStream in = Files.newInputStream(path)) {
        protos.addAll(FileDescriptorSet.parseFrom(in).getFileList());
      } catch (NoSuchFileException e) {
        throw new SchemaException("--protoset " + path + ": no such file");
      } catch (InvalidProtocolBufferException e) {
        throw new SchemaException(
            "--protoset " + path + ": not a FileDescriptorSet (" + e.getMessage() + ")");
      } catch (IOException e) {
        throw new SchemaException("--protoset " + path + ": " + e.getMessage());
      }
    }
    return new ProtosetSchemaSource(protos);
  }

  /** The schema of already built files; for tests and for sources that compile their own. */
  static ProtosetSchemaSource of(List<FileDescriptorProto> protos) {
    return new ProtosetSchemaSource(protos);
  }

  /** Every file of the protosets, built. */
  List<FileDescriptor> files() {
    return List.copyOf(files);
  }

  @Override
  public String describe() {
    return "--protoset";
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
    throw new SchemaException("no symbol " + symbol + " in the protoset");
  }
}
