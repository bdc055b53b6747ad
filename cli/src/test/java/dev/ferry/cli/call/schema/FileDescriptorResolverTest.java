package dev.ferry.cli.call.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileDescriptorResolverTest {
  @Test
  void everyWellKnownFile_isBuiltUnderItsOwnName() {
    FileDescriptorResolver resolver = new FileDescriptorResolver(name -> List.of());
    FileDescriptorResolver.WELL_KNOWN.forEach(
        (name, file) -> {
          FileDescriptor built = resolver.build(name);
          assertThat(built.getName()).isEqualTo(name);
          assertThat(built).isSameAs(file.get());
        });
    // protobuf-java's 11, and google/api's annotations.proto and http.proto.
    assertThat(FileDescriptorResolver.WELL_KNOWN).hasSize(13);
  }
}
