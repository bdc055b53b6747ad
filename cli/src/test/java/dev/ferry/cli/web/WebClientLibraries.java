package dev.ferry.cli.web;

import com.google.protobuf.Descriptors.FileDescriptor;
import dev.ferry.testservers.DescriptorSets;
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
   * {@code files} as a FileDescriptorSet in {@code dir}, imports included: the schema the clients
   * build their services from at run time, instead of generated code.
   */
  static Path descriptorSet(Path dir, FileDescriptor... files) throws IOException {
    Path out = dir.resolve("schema.binpb");
    Files.write(out, DescriptorSets.of(files).toByteArray());
    return out;
  }
}
