package dev.ferry.cli.call.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.ferry.testservers.helloworld.DaininkiProto;
import dev.ferry.testservers.helloworld.HelloWorldProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtosetSchemaSourceTest {
  @TempDir Path dir;

  @Test
  void protoset_listsItsServices() throws IOException {
    Path protoset =
        ProtosetFiles.write(dir, HelloWorldProto.getDescriptor(), DaininkiProto.getDescriptor());
    try (SchemaSource source = ProtosetSchemaSource.load(List.of(protoset))) {
      assertThat(source.listServices())
          .containsExactly("helloworld.Daininki", "helloworld.Greeter");
    }
  }

  @Test
  void protoset_findsMethodsAndMessages() throws IOException {
    Path protoset = ProtosetFiles.write(dir, HelloWorldProto.getDescriptor());
    SchemaSource source = ProtosetSchemaSource.load(List.of(protoset));
    assertThat(Symbols.method(source, "helloworld.Greeter/SayHelloBidiStream").isClientStreaming())
        .isTrue();
    FileDescriptor file = source.fileContainingSymbol("helloworld.HelloRequest");
    assertThat(Symbols.find(file, "helloworld.HelloRequest")).get().isInstanceOf(Descriptor.class);
  }

  @Test
  void unknownMethod_namesTheOnesThatExist() throws IOException {
    SchemaSource source =
        ProtosetSchemaSource.load(
            List.of(ProtosetFiles.write(dir, HelloWorldProto.getDescriptor())));
    assertThatThrownBy(() -> Symbols.method(source, "helloworld.Greeter/SayBye"))
        .hasMessageContaining("has no method SayBye")
        .hasMessageContaining("SayHello, SayHelloAgain");
  }

  @Test
  void protosetWithoutWellKnownImports_stillLoads() {
    // Made without --include_imports: timestamp.proto is not in the set but is built in.
    var proto =
        com.google.protobuf.DescriptorProtos.FileDescriptorProto.newBuilder()
            .setName("event.proto")
            .setPackage("ev")
            .setSyntax("proto3")
            .addDependency("google/protobuf/timestamp.proto")
            .addMessageType(
                com.google.protobuf.DescriptorProtos.DescriptorProto.newBuilder()
                    .setName("Event")
                    .addField(
                        com.google.protobuf.DescriptorProtos.FieldDescriptorProto.newBuilder()
                            .setName("at")
                            .setNumber(1)
                            .setType(
                                com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type
                                    .TYPE_MESSAGE)
                            .setTypeName(".google.protobuf.Timestamp")))
            .build();
    SchemaSource source = ProtosetSchemaSource.of(List.of(proto));
    assertThat(source.fileContainingSymbol("ev.Event").getDependencies().get(0).getName())
        .isEqualTo("google/protobuf/timestamp.proto");
  }

  @Test
  void missingFile_isNamed() {
    assertThatThrownBy(() -> ProtosetSchemaSource.load(List.of(dir.resolve("nope.protoset"))))
        .hasMessageContaining("nope.protoset: no such file");
  }

  @Test
  void fileThatIsNotADescriptorSet_isNamed() throws IOException {
    Path junk = Files.writeString(dir.resolve("junk.protoset"), "this is not protobuf");
    assertThatThrownBy(() -> ProtosetSchemaSource.load(List.of(junk)))
        .hasMessageContaining("not a FileDescriptorSet");
  }
}
