package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import dev.ferry.testservers.helloworld.VoteRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** The demo end to end: the article's topology behind one port, on free ports. */
class DemoCommandTest {
  @RegisterExtension final LoggedLines log = new LoggedLines();
  private final CapturedLines out = new CapturedLines();
  private final StringWriter err = new StringWriter();
  private final StopSignal stop = StopSignal.manual();
  private CompletableFuture<Integer> running;
  private ManagedChannel channel;
  private String proxy;
  private String admin;

  @BeforeEach
  void startDemo() throws Exception {
    CommandLine ferry = Main.commandLine(out.printWriter(), new PrintWriter(err, true));
    String[] args = {
      "demo",
      "--proxy-port",
      "0",
      "--greeter-port",
      "0",
      "--daininki-port",
      "0,0",
      "--rest-port",
      "0",
      "--admin-port",
      "0",
      "--page-port",
      "0"
    };
    DemoCommand demo = ferry.parseArgs(args).subcommand().commandSpec().commandLine().getCommand();
    demo.stopSignal = stop;
    running = CompletableFuture.supplyAsync(() -> ferry.execute(args));
    List<String> banner = new ArrayList<>();
    for (String line = out.nextLine(); !line.equals("Ctrl-C stops everything."); ) {
      banner.add(line);
      line = out.nextLine();
    }
    proxy =
        banner.stream()
            .filter(l -> l.startsWith("  proxy "))
            .map(l -> l.trim().split("\\s+")[1])
            .findFirst()
            .orElseThrow();
    admin =
        banner.stream()
            .filter(l -> l.startsWith("  admin "))
            .map(l -> l.trim().split("\\s+")[1])
            .findFirst()
            .orElseThrow();
    channel = Grpc.newChannelBuilder(proxy, InsecureChannelCredentials.create()).build();
  }

  @AfterEach
  void stopDemo() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    if (!running.isDone()) {
      stop.stop();
      running.get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void adminListener_isPrinted_andCountsTheDemosCalls() throws Exception {
    GreeterGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .sayHello(HelloRequest.newBuilder().setName("you").build());

    assertThat(admin).startsWith("http://127.0.0.1:").endsWith("/");
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String body =
        http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(admin + "clusters"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(body).contains("helloworld.Greeter\n", "helloworld.Daininki\n", "root\n");
    String metrics =
        http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(admin + "metrics"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics).contains("# TYPE ferry_calls_total counter");
  }

  @Test
  void reflectionThroughTheProxy_listsTheServicesOfBothClusters() throws Exception {
    var answers =
        new java.util.concurrent.LinkedBlockingQueue<
            io.grpc.reflection.v1.ServerReflectionResponse>();
    var requests =
        io.grpc.reflection.v1.ServerReflectionGrpc.newStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .serverReflectionInfo(
                new io.grpc.stub.StreamObserver<>() {
                  @Override
                  public void onNext(io.grpc.reflection.v1.ServerReflectionResponse r) {
                    answers.add(r);
                  }

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(
        io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("").build());
    var list = answers.poll(10, TimeUnit.SECONDS);
    requests.onCompleted();

    assertThat(list.getListServicesResponse().getServiceList())
        .extracting(io.grpc.reflection.v1.ServiceResponse::getName)
        .contains("helloworld.Greeter", "helloworld.Daininki");
  }

  @Test
  void greeterThroughTheProxy_answers() {
    String message =
        GreeterGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .sayHello(HelloRequest.newBuilder().setName("you").build())
            .getMessage();

    assertThat(message).isEqualTo("Hello, you!");
  }

  @Test
  void daininkiThroughTheProxy_alternatesBetweenItsTwoInstances() {
    var stub = DaininkiGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    List<String> servedBy = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      servedBy.add(stub.vote(VoteRequest.newBuilder().setCandidate("ferry").build()).getServedBy());
    }

    assertThat(servedBy.get(0)).isNotEqualTo(servedBy.get(1));
    assertThat(servedBy.subList(2, 4)).isEqualTo(servedBy.subList(0, 2));
  }

  @Test
  void restOnTheSamePort_answersHttp1() throws Exception {
    HttpResponse<String> response =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + proxy + "/api/hello")).build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"path\":\"/api/hello\"");
  }

  /**
   * The README's curl: the catch-all route to the REST endpoint does not swallow it, since a path a
   * method's google.api.http claims is that method's.
   */
  @Test
  void httpJsonOnTheSamePort_answersTheReadmesCurl() throws Exception {
    Process curl =
        new ProcessBuilder(
                "curl", "-sS", "--max-time", "30", "http://" + proxy + "/v1/greeter/ferry")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String body = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(curl.exitValue()).isZero();
    assertThat(body).isEqualTo("{\"message\":\"Hello, ferry!\"}");
  }

  @Test
  void stop_drainsAndExitsZero() throws Exception {
    stop.stop();

    assertThat(running.get(30, TimeUnit.SECONDS)).isZero();
    assertThat(log.containing("RunningProxy - "))
        .map(l -> l.replaceFirst(LogFormatTest.LINE_START, ""))
        .containsExactly(
            "INFO RunningProxy - stopping; in-flight calls have up to 2s to finish",
            "INFO RunningProxy - stopped");
  }
}
