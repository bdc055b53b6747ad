package dev.ferry.cli.call.schema.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.ferry.testservers.helloworld.DaininkiProto;
import dev.ferry.testservers.helloworld.HelloWorldProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parser against protoc: .proto sources whose protoc-compiled descriptors are on the class path
 * (ferry's examples; grpc's health, reflection, channelz, binlog; google.rpc's error details;
 * protobuf's own struct, type, api and descriptor.proto) must parse to the very same descriptor.
 */
class ProtoFileLoaderTest {
  private static final Path EXAMPLES = Path.of("../testservers/src/main/proto");

  @TempDir Path dir;

  @Test
  void helloworld_equalsProtocOutput() {
    FileDescriptor file =
        new ProtoFileLoader(List.of(EXAMPLES)).load(List.of("helloworld.proto")).get(0);
    assertThat(file.toProto()).isEqualTo(HelloWorldProto.getDescriptor().toProto());
  }

  @Test
  void daininki_withItsMap_equalsProtocOutput() {
    FileDescriptor file =
        new ProtoFileLoader(List.of(EXAMPLES)).load(List.of("daininki.proto")).get(0);
    assertThat(file.toProto()).isEqualTo(DaininkiProto.getDescriptor().toProto());
  }

  static List<Arguments> compiledProtos() {
    return List.of(
        Arguments.of("grpc/health/v1/health.proto", io.grpc.health.v1.HealthProto.getDescriptor()),
        Arguments.of(
            "grpc/reflection/v1/reflection.proto",
            io.grpc.reflection.v1.ServerReflectionProto.getDescriptor()),
        Arguments.of(
            "grpc/channelz/v1/channelz.proto", io.grpc.channelz.v1.ChannelzProto.getDescriptor()),
        Arguments.of(
            "grpc/binlog/v1/binarylog.proto", io.grpc.binarylog.v1.BinaryLogProto.getDescriptor()),
        Arguments.of(
            "google/rpc/error_details.proto", com.google.rpc.ErrorDetailsProto.getDescriptor()),
        Arguments.of(
            "google/protobuf/struct.proto", com.google.protobuf.StructProto.getDescriptor()),
        Arguments.of("google/protobuf/type.proto", com.google.protobuf.TypeProto.getDescriptor()),
        Arguments.of("google/protobuf/api.proto", com.google.protobuf.ApiProto.getDescriptor()),
        Arguments.of(
            "google/protobuf/descriptor.proto",
            com.google.protobuf.DescriptorProtos.getDescriptor()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("compiledProtos")
  void sourceOnClassPath_parsesToWhatProtocCompiled(String resource, FileDescriptor compiled)
      throws IOException {
    // google/protobuf/* would be taken from the bundled descriptors: copy them under another name.
    String name = resource.startsWith("google/protobuf/") ? "copy/" + resource : resource;
    copyResource(resource, name);
    FileDescriptor parsed = new ProtoFileLoader(List.of(dir)).load(List.of(name)).get(0);
    FileDescriptorProto expected = compiled.toProto().toBuilder().setName(name).build();
    assertThat(parsed.toProto()).isEqualTo(withoutJsonNames(expected));
  }

  /**
   * protoc's Java generator leaves json_name out of the descriptors it embeds, and so does this
   * parser; protobuf's own bundled types were built another way and have them.
   */
  private static FileDescriptorProto withoutJsonNames(FileDescriptorProto file) {
    FileDescriptorProto.Builder b = file.toBuilder();
    b.getMessageTypeBuilderList().forEach(ProtoFileLoaderTest::clearJsonNames);
    b.getExtensionBuilderList().forEach(f -> f.clearJsonName());
    return b.build();
  }

  private static void clearJsonNames(DescriptorProto.Builder message) {
    message.getFieldBuilderList().forEach(f -> f.clearJsonName());
    message.getExtensionBuilderList().forEach(f -> f.clearJsonName());
    message.getNestedTypeBuilderList().forEach(ProtoFileLoaderTest::clearJsonNames);
  }

  private void copyResource(String resource, String name) throws IOException {
    Path target = dir.resolve(name);
    Files.createDirectories(target.getParent());
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      Files.copy(in, target);
    }
  }
}
