package dev.ferry.cli;

import picocli.CommandLine.Command;

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

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
