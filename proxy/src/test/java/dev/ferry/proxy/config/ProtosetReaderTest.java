package dev.ferry.proxy.config;

import static dev.ferry.proxy.config.ConfigLoaderTest.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.TimestampProto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster's {@code schema: { protoset: }} key: read and linked as the config loads, or why not.
 */
class ProtosetReaderTest {
  @TempDir Path dir;

  private static String cluster(String schema) {
    return "listeners:\n  - address: 127.0.0.1:0\n"
        + "    routes: [ { match: {}, cluster: c } ]\n"
        + "clusters:\n  c: { endpoints: [127.0.0.1:1], schema: "
        + schema
        + " }\n";
  }

  private Path write(String name, byte[] bytes) throws Exception {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  @Test
  void aCompleteSet_isLinkedWhenTheConfigLoads() throws Exception {
    Path p =
        write(
            "ts.protoset",
            FileDescriptorSet.newBuilder()
                .addFile(TimestampProto.getDescriptor().toProto())
                .build()
                .toByteArray());

    ProtosetSchema s =
        ConfigLoader.parse("ferry.yaml", cluster("{ protoset: " + p + " }"))
            .clusters()
            .get("c")
            .schema();

    assertThat(s.paths()).containsExactly(p);
    assertThat(s.files())
        .extracting(f -> f.getName())
        .containsExactly("google/protobuf/timestamp.proto");
  }

  @Test
  void theSameFilesReadAgain_areAnEqualSchema_soAReloadKeepsTheCluster() throws Exception {
    Path p =
        write(
            "ts.protoset",
            FileDescriptorSet.newBuilder()
                .addFile(TimestampProto.getDescriptor().toProto())
                .build()
                .toByteArray());
    String yaml = cluster("{ protoset: " + p + " }");

    assertThat(ConfigLoader.parse("ferry.yaml", yaml).clusters().get("c"))
        .isEqualTo(ConfigLoader.parse("ferry.yaml", yaml).clusters().get("c"));
  }

  @Test
  void noSchemaKey_asksReflection() throws Exception {
    assertThat(
            ConfigLoader.parse(
                    "ferry.yaml",
                    cluster("{ protoset: x }").replace(", schema: { protoset: x }", ""))
                .clusters()
                .get("c")
                .schema())
        .isNull();
  }

  @Test
  void aMissingFile_isNamedAtItsCluster() {
    assertThat(error(cluster("{ protoset: /nonexistent/x.protoset }")))
        .contains("clusters.c.schema.protoset")
        .contains("no such file: /nonexistent/x.protoset");
  }

  @Test
  void docsExample_missingFile_isOneLineWithItsPosition() {
    String yaml =
        "listeners:\n  - address: 127.0.0.1:0\n    routes: [ { match: {}, cluster: things } ]\n"
            + "clusters:\n  things:\n    endpoints: [127.0.0.1:50051]\n"
            + "    schema: { protoset: things.protoset }\n";

    assertThat(error(yaml))
        .isEqualTo(
            "ferry.yaml:7:15: clusters.things.schema.protoset: no such file: things.protoset");
  }

  @Test
  void anEmptyList_isRefused() {
    assertThat(error(cluster("{ protoset: [] }"))).contains("no file");
  }

  @Test
  void aDirectory_isNoFile() {
    assertThat(error(cluster("{ protoset: " + dir + " }"))).contains("no such file: " + dir);
  }

  @Test
  void aFileThatIsNoDescriptorSet_isRefused() throws Exception {
    Path p = write("notes.txt", "not a descriptor set\n".getBytes(StandardCharsets.UTF_8));

    assertThat(error(cluster("{ protoset: " + p + " }")))
        .contains("clusters.c.schema.protoset")
        .contains(p + ": not a FileDescriptorSet");
  }

  @Test
  void aSetWithoutItsImports_namesWhatIsMissing() throws Exception {
    Path p =
        write(
            "any.protoset",
            FileDescriptorSet.newBuilder()
                .addFile(
                    TimestampProto.getDescriptor().toProto().toBuilder()
                        .setName("mine.proto")
                        .addDependency("google/api/annotations.proto"))
                .build()
                .toByteArray());

    assertThat(error(cluster("{ protoset: [" + p + "] }")))
        .contains(
            "imports missing from the set: google/api/annotations.proto (imported by mine.proto)")
        .contains("--include_imports");
  }
}
