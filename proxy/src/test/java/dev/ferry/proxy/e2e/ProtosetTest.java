package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.ConfigLoader;
import dev.ferry.proxy.config.ProtosetSchema;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/JSON transcoding and Connect JSON for a backend without server reflection, its schema read
 * from a protoset named in the config: driven with curl through ferry serve.
 */
class ProtosetTest {
  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  @TempDir Path dir;
  private int port;

  @BeforeEach
  void setUp() throws Exception {
    // Only the annotated service: no grpc.reflection to ask.
    Server s =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(ThingsService.define(false))
            .build()
            .start();
    fixture.closeLater(() -> s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    Path protoset = dir.resolve("things.protoset");
    Files.write(protoset, protoset(ThingsService.file(false)).toByteArray());
    String yaml =
        "listeners: [{address: 127.0.0.1:0, routes: [{match: {}, cluster: things}]}]\n"
            + "clusters:\n"
            + "  things:\n"
            + "    endpoints: [127.0.0.1:"
            + s.getPort()
            + "]\n"
            + "    schema: {protoset: "
            + protoset
            + "}\n";
    ProtosetSchema schema =
        ConfigLoader.parse("ferry.yaml", yaml).clusters().get("things").schema();
    ClusterConfig things =
        ProxyFixture.cluster("things", BalancePolicy.ROUND_ROBIN, s.getPort()).toBuilder()
            .schema(schema)
            .build();
    port =
        fixture
            .proxy(config(List.of(ProxyFixture.service(ThingsService.SERVICE, "things")), things))
            .boundAddresses()
            .get(0)
            .getPort();
  }

  /**
   * {@code file} and every file it imports, as {@code protoc --include_imports} writes them: with
   * each field's json_name set, which Java's compiled descriptors leave out.
   */
  static FileDescriptorSet protoset(FileDescriptor file) {
    Set<FileDescriptor> ordered = new LinkedHashSet<>();
    addWithImports(file, ordered);
    FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
    for (FileDescriptor f : ordered) {
      set.addFile(withJsonNames(f.toProto()));
    }
    return set.build();
  }

  private static void addWithImports(FileDescriptor file, Set<FileDescriptor> out) {
    for (FileDescriptor d : file.getDependencies()) {
      addWithImports(d, out);
    }
    out.add(file);
  }

  private static FileDescriptorProto withJsonNames(FileDescriptorProto file) {
    FileDescriptorProto.Builder b = file.toBuilder();
    List<DescriptorProto.Builder> messages = new ArrayList<>(b.getMessageTypeBuilderList());
    while (!messages.isEmpty()) {
      DescriptorProto.Builder m = messages.remove(messages.size() - 1);
      for (FieldDescriptorProto.Builder f : m.getFieldBuilderList()) {
        f.setJsonName(lowerCamel(f.getName()));
      }
      messages.addAll(m.getNestedTypeBuilderList());
    }
    return b.build();
  }

  private static String lowerCamel(String snake) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  @Test
  void getWithAPathVariable_isTranscodedByTheProtosetsRules() throws Exception {
    try (ConnectCurl c = ConnectCurl.request(port, "GET", "/v1/things/t1", null, false)) {
      ConnectCurl.Response r = c.finish();

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.headers()).containsEntry("content-type", "application/json");
      assertThat(r.text()).isEqualTo("{\"name\":\"t1\"}");
    }
  }

  @Test
  void connectJson_isAnsweredByTheProtosetsSchema() throws Exception {
    try (ConnectCurl c =
        ConnectCurl.post(
            port,
            "/ferrytest.Things/Get",
            "application/json",
            "{\"name\":\"c1\"}".getBytes(StandardCharsets.UTF_8),
            false)) {
      ConnectCurl.Response r = c.finish();

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("{\"name\":\"c1\"}");
    }
  }

  @Test
  void aMethodTheProtosetLacks_isUnimplementedWithoutAskingTheBackend() throws Exception {
    try (ConnectCurl c =
        ConnectCurl.post(
            port,
            "/ferrytest.Things/Nope",
            "application/json",
            "{}".getBytes(StandardCharsets.UTF_8),
            false)) {
      ConnectCurl.Response r = c.finish();

      assertThat(r.status()).isEqualTo(501);
      assertThat(r.text()).contains("the protoset of cluster 'things' has no method");
    }
  }
}
