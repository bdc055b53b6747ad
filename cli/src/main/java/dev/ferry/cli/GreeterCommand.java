package dev.ferry.cli;

import dev.ferry.testservers.ExampleServer;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `ferry greeter`: the example helloworld.Greeter backend. */
@Command(
    name = "greeter",
    mixinStandardHelpOptions = true,
    description = {
      "The example helloworld.Greeter backend: grpc's helloworld texts, with server reflection"
          + " (v1, v1alpha), grpc.health.v1 and fault injection by request metadata.",
      "Prints `listening on HOST:PORT` (or unix:PATH) per instance and a line per call;"
          + " Ctrl-C stops it."
    },
    footer = {
      "",
      "Examples:",
      "  ferry greeter                               on 127.0.0.1:50051",
      "  ferry greeter --port 0                      on a free port (printed)",
      "  ferry greeter --port 50061 --port 50062     two instances in one process",
      "  ferry greeter --tls-cert server.pem --tls-key server.key",
      "  ferry greeter --unix /tmp/greeter.sock      on a Unix domain socket",
      "",
      BackendHelp.FAULT_INJECTION,
      "",
      "Try:",
      "  ferry call 127.0.0.1:50051 helloworld.Greeter/SayHello -d '{\"name\":\"you\"}'",
      "  ferry call 127.0.0.1:50051 helloworld.Greeter/SayHello \\",
      "      -H 'x-fail-status: 14' -H 'x-fail-message: down'",
      "  ferry call unix:/tmp/greeter.sock helloworld.Greeter/SayHello \\",
      "      -d '{\"name\":\"sock\"}'"
    })
final class GreeterCommand implements Callable<Integer> {
  static final int DEFAULT_PORT = 50051;

  @Mixin BackendOptions options;
  @Spec CommandSpec spec;

  /** Replaced by tests, which stop the command themselves. */
  StopSignal stopSignal = StopSignal.fromOperatingSystem();

  private final BackendLauncher launcher =
      new BackendLauncher(ExampleServer.Kind.GREETER, DEFAULT_PORT);

  @Override
  public Integer call() throws InterruptedException {
    return launcher.serveUntilStopped(options, spec, stopSignal);
  }

  /** Starts the instances without waiting: the caller closes them. */
  List<ExampleServer> start() {
    return launcher.start(options, spec);
  }
}
