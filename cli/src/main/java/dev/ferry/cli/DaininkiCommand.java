package dev.ferry.cli;

import dev.ferry.testservers.ExampleServer;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `ferry daininki`: the example helloworld.Daininki backend. */
@Command(
    name = "daininki",
    mixinStandardHelpOptions = true,
    description = {
      "The example helloworld.Daininki backend: votes counted per instance, a ranking stream,"
          + " bulk votes and a chat; every reply names its instance in served_by.",
      "Offers server reflection (v1, v1alpha), grpc.health.v1 and fault injection.",
      "Prints `listening on HOST:PORT` (or unix:PATH) per instance and a line per call;"
          + " Ctrl-C stops it."
    },
    footer = {
      "",
      "Examples:",
      "  ferry daininki                              on 127.0.0.1:50052",
      "  ferry daininki --port 50052 --port 50053    two instances to balance over",
      "  ferry daininki --port 0 --id east           on a free port, served_by \"east\"",
      "  ferry daininki --unix /tmp/daininki.sock    on a Unix domain socket",
      "",
      BackendHelp.FAULT_INJECTION,
      "",
      "Try:",
      "  ferry call 127.0.0.1:50052 helloworld.Daininki/Vote -d '{\"candidate\":\"ann\"}'",
      "  ferry call 127.0.0.1:50052 helloworld.Daininki/Ranking \\",
      "      -H 'x-delay-ms: 500' -d '{\"count\":3}'",
      "  ferry call unix:/tmp/daininki.sock helloworld.Daininki/Vote \\",
      "      -d '{\"candidate\":\"bo\"}'"
    })
final class DaininkiCommand implements Callable<Integer> {
  static final int DEFAULT_PORT = 50052;

  @Mixin BackendOptions options;
  @Spec CommandSpec spec;

  /** Replaced by tests, which stop the command themselves. */
  StopSignal stopSignal = StopSignal.fromOperatingSystem();

  private final BackendLauncher launcher =
      new BackendLauncher(ExampleServer.Kind.DAININKI, DEFAULT_PORT);

  @Override
  public Integer call() throws InterruptedException {
    return launcher.serveUntilStopped(options, spec, stopSignal);
  }

  /** Starts the instances without waiting: the caller closes them. */
  List<ExampleServer> start() {
    return launcher.start(options, spec);
  }
}
