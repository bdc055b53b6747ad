package dev.ferry.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command: lists the subcommands (which {@link Main} adds, see there why). */
@Command(
    name = "ferry",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "A toolkit for gRPC: proxy, example backends, reflective client and tracer.",
    footer = {
      "",
      "Examples:",
      "  ferry demo                      greeter, daininki and the proxy at once",
      "  ferry greeter --port 50051      an example gRPC backend",
      "  ferry serve -c ferry.yaml       the proxy",
      "  ferry call 127.0.0.1:8080 list  the services behind an address"
    })
final class FerryCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** The log levels a user may ask for, quietest first. */
  enum LogLevel {
    OFF,
    ERROR,
    WARN,
    INFO,
    DEBUG,
    TRACE
  }

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      scope = ScopeType.INHERIT,
      description = {
        "Log lines to print on stderr: ${COMPLETION-CANDIDATES}. Default: ferry's own from",
        "info up, and none of grpc-java's or Netty's (debug shows them)."
      })
  void logLevel(LogLevel level) {
    LogRouting.setLevel(level.name());
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
