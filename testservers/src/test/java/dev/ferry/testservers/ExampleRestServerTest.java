package dev.ferry.testservers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class ExampleRestServerTest {
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void get_answersJsonNamingThePath() throws Exception {
    try (ExampleRestServer rest = ExampleRestServer.start("127.0.0.1", 0)) {
      int port = rest.address().getPort();
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/items?x=1"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(response.body())
          .isEqualTo(
              "{\"served_by\":\"rest@"
                  + port
                  + "\",\"method\":\"GET\",\"path\":\"/api/items?x=1\"}\n");
    }
  }

  @Test
  void post_echoesTheBody() throws Exception {
    try (ExampleRestServer rest = ExampleRestServer.start("127.0.0.1", 0)) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + rest.address().getPort() + "/echo"))
                  .header("Content-Type", "text/plain")
                  .POST(HttpRequest.BodyPublishers.ofString("hello ferry"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("hello ferry");
    }
  }

  @Test
  void portInUse_namesTheAddress() throws Exception {
    try (ExampleRestServer first = ExampleRestServer.start("127.0.0.1", 0)) {
      int port = first.address().getPort();
      assertThatThrownBy(() -> ExampleRestServer.start("127.0.0.1", port))
          .isInstanceOf(BindException.class)
          .hasMessage("127.0.0.1:" + port + " is already in use");
    }
  }
}
