package dev.ferry.cli.call.schema.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The language features one at a time, and the errors, each with its file:line:col. */
class ProtoParserCasesTest {
  @TempDir Path dir;

  private FileDescriptor load(String name, String source) throws IOException {
    write(name, source);
    return new ProtoFileLoader(List.of(dir)).load(List.of(name)).get(0);
  }

  private void write(String name, String source) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, source);
  }

  @Test
  void proto3Optional_getsSyntheticOneofAfterTheRealOnes() throws Exception {
    FileDescriptor file =
        load(
            "opt.proto",
            """
            syntax = "proto3";
            package t;
            message M {
              optional int32 a = 1;
              oneof o { string b = 2; }
              optional string c = 3;
            }
            """);
    FileDescriptorProto.Builder expected = FileDescriptorProto.newBuilder();
    TextFormat.merge(
        """
        name: "opt.proto" package: "t" syntax: "proto3"
        message_type {
          name: "M"
          field { name: "a" number: 1 label: LABEL_OPTIONAL type: TYPE_INT32 oneof_index: 1
                  proto3_optional: true }
          field { name: "b" number: 2 label: LABEL_OPTIONAL type: TYPE_STRING oneof_index: 0 }
          field { name: "c" number: 3 label: LABEL_OPTIONAL type: TYPE_STRING oneof_index: 2
                  proto3_optional: true }
          oneof_decl { name: "o" } oneof_decl { name: "_a" } oneof_decl { name: "_c" }
        }
        """,
        expected);
    assertThat(file.toProto()).isEqualTo(expected.build());
    FieldDescriptor a = file.findMessageTypeByName("M").findFieldByName("a");
    assertThat(a.hasPresence()).isTrue();
    assertThat(a.getRealContainingOneof()).isNull();
  }

  @Test
  void wellKnownImports_comeBuiltIn() throws Exception {
    FileDescriptor file =
        load(
            "svc.proto",
            """
            syntax = "proto3";
            package t;
            import "google/protobuf/timestamp.proto";
            import "google/protobuf/empty.proto";
            message Event { google.protobuf.Timestamp at = 1; }
            service Clock { rpc Now (google.protobuf.Empty) returns (Event); }
            """);
    assertThat(file.getDependencies())
        .containsExactly(
            com.google.protobuf.Timestamp.getDescriptor().getFile(),
            com.google.protobuf.Empty.getDescriptor().getFile());
    assertThat(file.findMessageTypeByName("Event").findFieldByName("at").getMessageType())
        .isSameAs(com.google.protobuf.Timestamp.getDescriptor());
    assertThat(file.findServiceByName("Clock").findMethodByName("Now").getInputType())
        .isSameAs(com.google.protobuf.Empty.getDescriptor());
  }

  @Test
  void nestedNames_resolveFromTheInnermostScopeOutward() throws Exception {
    FileDescriptor file =
        load(
            "scope.proto",
            """
            syntax = "proto3";
            package a.b;
            message Inner { }
            message Outer {
              message Inner { enum Kind { KIND_UNSPECIFIED = 0; } }
              Inner near = 1;         // Outer.Inner: the innermost scope wins
              .a.b.Inner far = 2;     // absolute
              Inner.Kind kind = 3;    // Outer.Inner.Kind
              b.Inner by_package = 4; // a.b.Inner, found through package part b
              map<string, Inner> by_key = 5;
            }
            """);
    Descriptor outer = file.findMessageTypeByName("Outer");
    assertThat(outer.findFieldByName("near").getMessageType().getFullName())
        .isEqualTo("a.b.Outer.Inner");
    assertThat(outer.findFieldByName("far").getMessageType().getFullName()).isEqualTo("a.b.Inner");
    assertThat(outer.findFieldByName("kind").getEnumType().getFullName())
        .isEqualTo("a.b.Outer.Inner.Kind");
    assertThat(outer.findFieldByName("by_package").getMessageType().getFullName())
        .isEqualTo("a.b.Inner");
    FieldDescriptor map = outer.findFieldByName("by_key");
    assertThat(map.isMapField()).isTrue();
    assertThat(map.getMessageType().getFullName()).isEqualTo("a.b.Outer.ByKeyEntry");
    assertThat(map.getMessageType().findFieldByName("value").getMessageType().getFullName())
        .isEqualTo("a.b.Outer.Inner");
  }

  @Test
  void proto2_groupsExtensionsDefaultsAndCustomOptions() throws Exception {
    write(
        "opts.proto",
        """
        syntax = "proto2";
        package o;
        import "google/protobuf/descriptor.proto";
        extend google.protobuf.FieldOptions { optional string note = 50001; }
        """);
    FileDescriptor file =
        load(
            "p2.proto",
            """
            // proto2, with the statements people still meet in older files
            syntax = "proto2";
            package p;
            import public "opts.proto";
            /* a block
               comment */
            message Req {
              required string name = 1 [default = "a\\tb\\u00e9\\x41\\101"];
              optional int32 count = 2 [default = -0x10, (o.note) = "counted"];
              repeated double weights = 3 [packed = true];
              optional group Extra = 4 { optional bool on = 1 [default = true]; }
              optional Color color = 5 [default = BLUE];
              extensions 100 to max;
              reserved 6, 8 to 10;
              reserved "old";
              enum Color { option allow_alias = true; RED = 1; BLUE = 2; AZURE = 2; }
            }
            extend Req { optional int64 more = 100; }
            """);
    FileDescriptorProto proto = file.toProto();
    List<FieldDescriptorProto> fields = proto.getMessageType(0).getFieldList();
    assertThat(fields.get(0).getDefaultValue()).isEqualTo("a\tbéAA");
    assertThat(fields.get(1).getDefaultValue()).isEqualTo("-16");
    assertThat(fields.get(1).getOptions().getUninterpretedOption(0).getStringValue().toStringUtf8())
        .isEqualTo("counted");
    assertThat(fields.get(2).getOptions().getPacked()).isTrue();
    assertThat(fields.get(3).getType()).isEqualTo(FieldDescriptorProto.Type.TYPE_GROUP);
    assertThat(fields.get(3).getTypeName()).isEqualTo(".p.Req.Extra");
    assertThat(fields.get(4).getTypeName()).isEqualTo(".p.Req.Color");
    assertThat(proto.getMessageType(0).getExtensionRange(0).getEnd()).isEqualTo(536_870_912);
    assertThat(proto.getMessageType(0).getReservedRange(1).getEnd()).isEqualTo(11);
    assertThat(proto.getMessageType(0).getReservedName(0)).isEqualTo("old");
    assertThat(proto.getPublicDependencyList()).containsExactly(0);
    assertThat(proto.getExtension(0).getExtendee()).isEqualTo(".p.Req");
    Descriptor req = file.findMessageTypeByName("Req");
    assertThat(req.findFieldByName("color").getDefaultValue().toString()).isEqualTo("BLUE");
    assertThat(
            req.findFieldByName("extra").getMessageType().findFieldByName("on").getDefaultValue())
        .isEqualTo(true);
  }

  @Test
  void streamingOnEitherSide_andMethodOptions() throws Exception {
    FileDescriptor file =
        load(
            "s.proto",
            """
            syntax = "proto3";
            message M {}
            service S {
              option deprecated = true;
              rpc Up (stream M) returns (M);
              rpc Down (M) returns (stream .M) { option idempotency_level = NO_SIDE_EFFECTS; }
            }
            """);
    var service = file.findServiceByName("S");
    assertThat(service.getOptions().getDeprecated()).isTrue();
    assertThat(service.findMethodByName("Up").isClientStreaming()).isTrue();
    assertThat(service.findMethodByName("Up").isServerStreaming()).isFalse();
    assertThat(service.findMethodByName("Down").isServerStreaming()).isTrue();
    assertThat(service.findMethodByName("Down").getOptions().getIdempotencyLevel().name())
        .isEqualTo("NO_SIDE_EFFECTS");
  }

  @Test
  void unknownType_isReportedAtItsPosition() {
    assertThatThrownBy(
            () -> load("bad.proto", "syntax = \"proto3\";\nmessage M {\n  Missing m = 1;\n}\n"))
        .isInstanceOf(ProtoSyntaxException.class)
        .hasMessage(
            "bad.proto:3:3: \"Missing\" is not defined (is the file that defines it imported?)");
  }

  @Test
  void partlyResolvedName_saysWhereTheInnermostScopeLed() {
    assertThatThrownBy(
            () ->
                load(
                    "bad.proto",
                    "package a;\nmessage M {}\nmessage N { message a {} optional a.M m = 1; }\n"))
        .hasMessageStartingWith(
            "bad.proto:3:35: \"a.M\" is resolved to \"a.N.a.M\", which is not defined");
  }

  @Test
  void syntaxError_namesLineColumnAndWhatWasFound() {
    assertThatThrownBy(
            () -> load("bad.proto", "syntax = \"proto3\";\nmessage M {\n  string = 1;\n}\n"))
        .hasMessage("bad.proto:3:10: expected a field name but found '='");
    assertThatThrownBy(() -> load("bad2.proto", "syntax = \"proto3\";\n/* open\n"))
        .hasMessage("bad2.proto:2:1: comment started here is never closed with */");
    assertThatThrownBy(
            () -> load("bad3.proto", "syntax = \"proto3\";\noption java_pakage = \"x\";\n"))
        .hasMessageStartingWith("bad3.proto:2:8: unknown option 'java_pakage' for FileOptions");
  }

  @Test
  void missingImport_isReportedAtTheImportStatement() {
    assertThatThrownBy(() -> load("a.proto", "syntax = \"proto3\";\nimport \"nowhere/b.proto\";\n"))
        .hasMessageStartingWith(
            "a.proto:2:8: import \"nowhere/b.proto\" not found in the import paths");
  }

  @Test
  void importCycle_isNamed() throws Exception {
    write("x.proto", "import \"y.proto\";\n");
    write("y.proto", "import \"x.proto\";\n");
    assertThatThrownBy(() -> new ProtoFileLoader(List.of(dir)).load(List.of("x.proto")))
        .hasMessage("y.proto:1:8: import cycle: x.proto -> y.proto -> x.proto");
  }
}
