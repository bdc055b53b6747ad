package dev.ferry.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `ferry import`: brings another proxy's configuration over; one subcommand per proxy. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = "Convert another proxy's configuration to a ferry.yaml.",
    subcommands = ImportNginxCommand.class)
final class ImportCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
