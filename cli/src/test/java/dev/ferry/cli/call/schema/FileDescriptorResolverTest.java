package dev.ferry.cli.call.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FileDescriptor;
import dev.ferry.proxy.schema.WellKnownProtos;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileDescriptorResolverTest {
  @Test
  void everyWellKnownFile_isBuiltUnderItsOwnName() {
    FileDescriptorResolver resolver = new FileDescriptorResolver(name -> List.of());
    WellKnownProtos.names()
        .forEach(
            name -> {
              FileDescriptor built = resolver.build(name);
              assertThat(built.getName()).isEqualTo(name);
              assertThat(built).isSameAs(WellKnownProtos.get(name));
            });
    assertThat(WellKnownProtos.names()).hasSize(13);
  }
}
