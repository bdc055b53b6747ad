package dev.ferry.cli.web;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The real gRPC-Web and Connect client libraries (connect-web, connect-node) that {@code
 * web-clients} installs from npm; outside CI their absence skips a test, and under {@code CI=true}
 * it fails it, since .ci/run installs them.
 */
final class WebClientLibraries {
  /** The npm project at the top of the build, beside the modules (Maven runs tests in cli/). */
  static final Path DIR = Path.of("../web-clients").toAbsolutePath().normalize();

  private WebClientLibraries() {}

  /** The node_modules directory, once it is known to be there. */
  static Path require() {
    Path modules = DIR.resolve("node_modules");
    if (!Files.isDirectory(modules.resolve("@connectrpc/connect-node"))) {
      String missing = "the web client libraries are not installed (npm ci --prefix web-clients)";
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException(missing + "; .ci/run should have installed them");
      }
      Assumptions.abort(missing);
    }
    return modules;
  }

  /**
   * {@code files} as a FileDescriptorSet in {@code dir}: the schema the clients build their
   * services from at run time, instead of generated code.
   */
  static Path descriptorSet(Path dir, FileDescriptor... files) throws IOException {
    FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
    for (FileDescriptor f : files) {
      FileDescriptorProto.Builder file = f.toProto().toBuilder();
      for (int i = 0; i < f.getMessageTypes().size(); i++) {
        withJsonNames(file.getMessageTypeBuilder(i), f.getMessageTypes().get(i));
      }
      set.addFile(file);
    }
    Path out = dir.resolve("schema.binpb");
    Files.write(out, set.build().toByteArray());
    return out;
  }

  /**
   * Sets each field's json_name, as protoc does in the descriptor sets it writes: the clients read
   * JSON names from there, and the descriptors compiled into Java classes leave them out.
   */
  private static void withJsonNames(DescriptorProto.Builder proto, Descriptor message) {
    for (int i = 0; i < message.getFields().size(); i++) {
      proto.getFieldBuilder(i).setJsonName(message.getFields().get(i).getJsonName());
    }
    for (int i = 0; i < message.getNestedTypes().size(); i++) {
      withJsonNames(proto.getNestedTypeBuilder(i), message.getNestedTypes().get(i));
    }
  }
}
