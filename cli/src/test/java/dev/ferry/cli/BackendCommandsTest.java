package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.exit.ExitCodes;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import dev.ferry.testservers.helloworld.VoteRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BackendCommandsTest {
  private final CapturedLines out = new CapturedLines();
  private final StringWriter err = new StringWriter();
  private final CommandLine ferry = Main.commandLine(out.printWriter(), new PrintWriter(err, true));
  private final List<ManagedChannel> channels = new ArrayList<>();
  private StopSignal stop;
  private CompletableFuture<Integer> running;

  @TempDir Path dir;

  @AfterEach
  void stopEverything() throws Exception {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (running != null) {
      stop.stop();
      running.get(15, TimeUnit.SECONDS);
    }
  }

  @Test
  void greeter_printsItsAddressAnswersLogsAndExitsZeroWhenStopped() throws Exception {
    String address = startInBackground("greeter", "--port", "0");

    String message =
        GreeterGrpc.newBlockingStub(channelTo(address))
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .sayHello(HelloRequest.newBuilder().setName("you").build())
            .getMessage();
    String logLine = out.nextLine();
    stop.stop();

    assertThat(message).isEqualTo("Hello, you!");
    assertThat(logLine).matches("greeter@\\d+ helloworld\\.Greeter/SayHello OK \\d+\\.\\dms");
    assertThat(running.get(15, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void greeter_maxMessageSize_limitsRequestsAndDefaultsAboveGrpcJavasFourMebibytes()
      throws Exception {
    String address = startInBackground("greeter", "--port", "0", "--quiet");
    String big = "x".repeat((4 << 20) + 5);

    String message =
        GreeterGrpc.newBlockingStub(channelTo(address))
            .withMaxInboundMessageSize(64 << 20)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .sayHello(HelloRequest.newBuilder().setName(big).build())
            .getMessage();

    assertThat(message).hasSize(big.length() + "Hello, !".length());
  }

  @Test
  void daininki_maxMessageSize_refusesBiggerRequests() throws Exception {
    String address =
        startInBackground("daininki", "--port", "0", "--quiet", "--max-message-size", "64");

    io.grpc.StatusRuntimeException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            io.grpc.StatusRuntimeException.class,
            () ->
                DaininkiGrpc.newBlockingStub(channelTo(address))
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .vote(vote("x".repeat(100))));

    assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED);
  }

  @Test
  void daininki_severalPorts_startIndependentInstancesWithDistinctServedBy() throws Exception {
    String first = startInBackground("daininki", "--port", "0", "--port", "0", "--quiet");
    String second = listeningAddress(out.nextLine());

    var firstStub = DaininkiGrpc.newBlockingStub(channelTo(first));
    var secondStub = DaininkiGrpc.newBlockingStub(channelTo(second));
    firstStub.vote(vote("ann"));
    var fromFirst = firstStub.vote(vote("ann"));
    var fromSecond = secondStub.vote(vote("ann"));

    assertThat(fromFirst.getServedBy()).isEqualTo("daininki@" + port(first));
    assertThat(fromFirst.getVotes()).isEqualTo(2);
    assertThat(fromSecond.getServedBy()).isEqualTo("daininki@" + port(second));
    assertThat(fromSecond.getVotes()).isEqualTo(1);
  }

  @Test
  void id_withOnePort_isTheWholeServedBy() throws Exception {
    String address = startInBackground("daininki", "--port", "0", "--id", "east");

    assertThat(DaininkiGrpc.newBlockingStub(channelTo(address)).vote(vote("x")).getServedBy())
        .isEqualTo("east");
  }

  @Test
  void id_withSeveralPorts_isFollowedByEachPort() throws Exception {
    String first = startInBackground("daininki", "--port", "0", "--port", "0", "--id", "east");
    String second = listeningAddress(out.nextLine());

    assertThat(DaininkiGrpc.newBlockingStub(channelTo(first)).vote(vote("x")).getServedBy())
        .isEqualTo("east@" + port(first));
    assertThat(DaininkiGrpc.newBlockingStub(channelTo(second)).vote(vote("x")).getServedBy())
        .isEqualTo("east@" + port(second));
  }

  @Test
  void quiet_printsNoCallLines() throws Exception {
    String address = startInBackground("greeter", "--port", "0", "--quiet");

    GreeterGrpc.newBlockingStub(channelTo(address))
        .sayHello(HelloRequest.newBuilder().setName("you").build());
    stop.stop();
    running.get(15, TimeUnit.SECONDS);

    assertThat(out.lines()).containsExactly("listening on " + address);
  }

  @Test
  void start_returnsRunningInstancesForTheCallerToClose() throws Exception {
    ferry.parseArgs("greeter", "--port", "0", "--quiet");
    GreeterCommand greeter = ferry.getSubcommands().get("greeter").getCommand();

    var servers = greeter.start();
    try {
      assertThat(servers).hasSize(1);
      assertThat(servers.get(0).id()).isEqualTo("greeter@" + servers.get(0).address().getPort());
    } finally {
      servers.forEach(s -> s.close());
    }
  }

  @Test
  void portInUse_isOneLineNamingTheAddressAndExitCodeOne() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int exit = ferry.execute("greeter", "--port", String.valueOf(taken.getLocalPort()));

      assertThat(exit).isEqualTo(ExitCodes.FAILURE);
      assertThat(err.toString())
          .isEqualTo(
              "ferry greeter: 127.0.0.1:"
                  + taken.getLocalPort()
                  + " is already in use"
                  + System.lineSeparator());
    }
  }

  @Test
  void portHeldOnlyByAConnectionInTimeWait_saysNoServerListensThere() throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    int port;
    try (ServerSocket peer = new ServerSocket(0, 1, loopback)) {
      Socket client = new Socket();
      client.bind(new InetSocketAddress(loopback, 0));
      port = client.getLocalPort();
      client.connect(peer.getLocalSocketAddress());
      try (Socket served = peer.accept()) {
        // The end that closes first keeps the port in TIME_WAIT, as a load test's client does.
        client.close();
        assertThat(served.getInputStream().read()).isEqualTo(-1);
      }
    }

    int exit = ferry.execute("greeter", "--port", String.valueOf(port));

    assertThat(exit).isEqualTo(ExitCodes.FAILURE);
    assertThat(err.toString())
        .startsWith("ferry greeter: 127.0.0.1:" + port + " is already in use, though no server")
        .contains("in TIME_WAIT for up to a minute")
        .contains("wait, or pick another port");
  }

  @Test
  void portInUse_amongSeveral_closesTheInstancesAlreadyStarted() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int exit =
          ferry.execute("daininki", "--port", "0", "--port", String.valueOf(taken.getLocalPort()));
      String started = listeningAddress(out.lines().get(0));

      assertThat(exit).isEqualTo(ExitCodes.FAILURE);
      assertThat(err.toString()).contains(taken.getLocalPort() + " is already in use");
      // The port of the first instance is free again: binding it succeeds.
      try (ServerSocket again =
          new ServerSocket(port(started), 1, InetAddress.getByName("127.0.0.1"))) {
        assertThat(again.getLocalPort()).isEqualTo(port(started));
      }
    }
  }

  @Test
  void missingTlsFile_isOneLineNamingTheFileAndExitCodeOne() throws IOException {
    Path key = Files.writeString(dir.resolve("server.key"), "unused");
    Path missing = dir.resolve("server.pem");

    int exit =
        ferry.execute(
            "greeter",
            "--port",
            "0",
            "--tls-cert",
            missing.toString(),
            "--tls-key",
            key.toString());

    assertThat(exit).isEqualTo(ExitCodes.FAILURE);
    assertThat(err.toString())
        .isEqualTo("ferry greeter: --tls-cert: no such file: " + missing + System.lineSeparator());
  }

  @Test
  void tlsCertWithoutKey_isAUsageError() {
    int exit = ferry.execute("greeter", "--tls-cert", "server.pem");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString()).contains("--tls-cert and --tls-key go together");
  }

  @Test
  void unknownFlag_isOneLineNamingItAndExitCodeTwo() {
    int exit = ferry.execute("daininki", "--bogus");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString()).startsWith("ferry daininki: ").contains("'--bogus'");
  }

  @Test
  void portOutOfRange_isAUsageError() {
    int exit = ferry.execute("greeter", "--port", "70000");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--port: 70000 (expected: 0..65535)");
  }

  @Test
  void help_showsExamplesAndTheFaultInjectionHeaders() {
    int exit = ferry.execute("greeter", "--help");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(String.join("\n", out.lines()))
        .contains("Examples:", "ferry greeter --port 0", "x-fail-status", "x-delay-ms");
  }

  /** Runs the command on another thread and returns the address of its first instance. */
  private String startInBackground(String... args) throws InterruptedException {
    stop = StopSignal.manual();
    CommandLine sub = ferry.getSubcommands().get(args[0]);
    Object command = sub.getCommand();
    if (command instanceof GreeterCommand greeter) {
      greeter.stopSignal = stop;
    } else {
      ((DaininkiCommand) command).stopSignal = stop;
    }
    running = CompletableFuture.supplyAsync(() -> ferry.execute(args));
    return listeningAddress(out.nextLine());
  }

  private static String listeningAddress(String line) {
    assertThat(line).startsWith("listening on 127.0.0.1:");
    return line.substring("listening on ".length());
  }

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  private ManagedChannel channelTo(String address) {
    ManagedChannel channel =
        Grpc.newChannelBuilder(address, InsecureChannelCredentials.create()).build();
    channels.add(channel);
    return channel;
  }

  private static VoteRequest vote(String candidate) {
    return VoteRequest.newBuilder().setCandidate(candidate).build();
  }
}
