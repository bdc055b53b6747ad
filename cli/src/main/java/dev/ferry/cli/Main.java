package dev.ferry.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Entry point of the ferry command: builds the command tree and maps its outcome to an exit code.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(commandLine(out, err).execute(args));
  }

  /** The whole command tree writing to {@code out} and {@code err}, so tests can capture both. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new FerryCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(new FailureHandler());
    cl.setParameterExceptionHandler(new UsageErrorHandler());
    cl.setExitCodeExceptionMapper(ExitCodes::forException);
    return cl;
  }
}
