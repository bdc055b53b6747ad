package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.exit.ExitCodes;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ferry serve --trace FILE}: the flag form of a listener's trace, end to end. */
class ServeTraceTest {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  private final CapturedLines out = new CapturedLines();
  private final StringWriter err = new StringWriter();
  private final CommandLine ferry = Main.commandLine(out.printWriter(), new PrintWriter(err, true));

  @TempDir Path dir;

  @Test
  void traceFlag_writesEveryCallOfTheProxyToTheFile() throws Exception {
    Path file = dir.resolve("serve-trace.txt");
    try (ExampleServer greeter = ExampleServer.builder(ExampleServer.Kind.GREETER).start()) {
      ServeCommand serve = (ServeCommand) ferry.getSubcommands().get("serve").getCommand();
      StopSignal stop = StopSignal.manual();
      serve.stopSignal = stop;
      CompletableFuture<Integer> running =
          CompletableFuture.supplyAsync(
              () ->
                  ferry.execute(
                      "serve",
                      "--listen",
                      "127.0.0.1:0",
                      "--route",
                      "helloworld.Greeter=" + greeter.authority(),
                      "--trace",
                      file.toString()));
      int port = waitForPort();
      ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      try {
        GreeterGrpc.newBlockingStub(ch)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .sayHello(HelloRequest.newBuilder().setName("flag").build());
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      stop.stop();
      assertThat(running.get(15, TimeUnit.SECONDS)).as(err.toString()).isEqualTo(ExitCodes.OK);
    }

    assertThat(Files.readString(file))
        .contains(":path: /helloworld.Greeter/SayHello")
        .contains("1: \"flag\"")
        .contains("grpc-status: 0  ⇒ OK");
  }

  private int waitForPort() throws InterruptedException {
    while (true) {
      Matcher m = LISTENING.matcher(out.nextLine());
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
  }
}
