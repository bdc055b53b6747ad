package dev.ferry.cli.call.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testservers.helloworld.DaininkiProto;
import dev.ferry.testservers.helloworld.HelloWorldProto;
import dev.ferry.testservers.helloworld.VoteTally;
import org.junit.jupiter.api.Test;

class ProtoSourcePrinterTest {
  @Test
  void service_isPrintedWithStreamingMarks() {
    String source =
        ProtoSourcePrinter.describe(HelloWorldProto.getDescriptor().findServiceByName("Greeter"));
    assertThat(source)
        .startsWith("helloworld.Greeter is a service (in helloworld.proto):\n")
        .contains("  rpc SayHello (helloworld.HelloRequest) returns (helloworld.HelloReply);\n")
        .contains(
            "  rpc SayHelloBidiStream (stream helloworld.HelloRequest)"
                + " returns (stream helloworld.HelloReply);\n");
  }

  @Test
  void mapField_isPrintedAsMap() {
    assertThat(ProtoSourcePrinter.describe(VoteTally.getDescriptor()))
        .contains("  map<string, int64> votes = 1;\n")
        .contains("  int64 total = 2;\n")
        .doesNotContain("VotesEntry");
  }

  @Test
  void template_fillsEveryField() {
    assertThat(JsonTemplate.of(VoteTally.getDescriptor()))
        .contains("\"votes\": {")
        .contains("\"total\": \"0\"")
        .contains("\"served_by\": \"\"");
    assertThat(
            JsonTemplate.of(DaininkiProto.getDescriptor().findMessageTypeByName("RankingRequest")))
        .contains("\"count\": 0");
  }
}
