package dev.ferry.proxy.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.AnnotationsProto;
import com.google.api.CustomHttpPattern;
import com.google.api.HttpRule;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.ferry.proxy.schema.MethodSchema;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which binding a request fits when several could, and what a malformed rule costs. */
class HttpRuleTableTest {
  private static final HttpRuleTable TABLE =
      table(
          Map.of(
              "Get", HttpRule.newBuilder().setGet("/v1/things/{id}").build(),
              "Count", HttpRule.newBuilder().setGet("/v1/things/count").build(),
              "Purge",
                  HttpRule.newBuilder()
                      .setCustom(
                          CustomHttpPattern.newBuilder()
                              .setKind("PURGE")
                              .setPath("/v1/things/{id}"))
                      .build(),
              "Broken", HttpRule.newBuilder().setGet("/v1/broken/{nope}").build(),
              "AlsoBroken", HttpRule.newBuilder().setPost("/v1/also").setBody("missing").build()));

  @Test
  void moreLiteralSegments_win() {
    assertThat(TABLE.match("GET", "/v1/things/count").binding().method().name())
        .isEqualTo("t.S/Count");
    assertThat(TABLE.match("GET", "/v1/things/x").binding().method().name()).isEqualTo("t.S/Get");
  }

  @Test
  void customPattern_matchesItsKind() {
    assertThat(TABLE.match("PURGE", "/v1/things/x").binding().method().name())
        .isEqualTo("t.S/Purge");
    assertThat(TABLE.match("DELETE", "/v1/things/x")).isNull();
  }

  @Test
  void malformedRules_areLeftOut_theirSiblingsServe() {
    assertThat(TABLE.match("GET", "/v1/broken/x")).isNull();
    assertThat(TABLE.match("POST", "/v1/also")).isNull();
    assertThat(TABLE.match("GET", "/v1/things/x")).isNotNull();
  }

  private static HttpRuleTable table(Map<String, HttpRule> rules) {
    ServiceDescriptorProto.Builder service = ServiceDescriptorProto.newBuilder().setName("S");
    rules.forEach(
        (name, rule) ->
            service.addMethod(
                MethodDescriptorProto.newBuilder()
                    .setName(name)
                    .setInputType(".t.M")
                    .setOutputType(".t.M")
                    .setOptions(
                        MethodOptions.newBuilder().setExtension(AnnotationsProto.http, rule))));
    FileDescriptorProto proto =
        FileDescriptorProto.newBuilder()
            .setName("t.proto")
            .setPackage("t")
            .setSyntax("proto3")
            .addDependency("google/api/annotations.proto")
            .addMessageType(
                DescriptorProto.newBuilder()
                    .setName("M")
                    .addField(
                        FieldDescriptorProto.newBuilder()
                            .setName("id")
                            .setNumber(1)
                            .setType(FieldDescriptorProto.Type.TYPE_STRING)))
            .addService(service)
            .build();
    try {
      FileDescriptor file =
          FileDescriptor.buildFrom(proto, new FileDescriptor[] {AnnotationsProto.getDescriptor()});
      return HttpRuleTable.of(
          file.findServiceByName("S").getMethods().stream().map(MethodSchema::of).toList(), "test");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
