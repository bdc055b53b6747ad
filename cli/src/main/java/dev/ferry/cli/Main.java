package dev.ferry.cli;

import dev.ferry.cli.exit.ExitCodes;
import java.io.InputStream;
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
    // A thread ferry started that dies (a reader of stdin, a library's worker) says so in one line.
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> err.println("ferry: " + FailureHandler.unexpected(e)));
    int code;
    try {
      code = commandLine(out, err).execute(args);
    } catch (RuntimeException | Error e) {
      // picocli hands only Exceptions to FailureHandler; an Error (out of memory) ends up here.
      err.println("ferry: " + FailureHandler.unexpected(e));
      code = ExitCodes.FAILURE;
    }
    System.exit(code);
  }

  /** The whole command tree writing to {@code out} and {@code err}, so tests can capture both. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(System.in, out, err);
  }

  /** As {@link #commandLine(PrintWriter, PrintWriter)}, with {@code in} as what `-d @-` reads. */
  public static CommandLine commandLine(InputStream in, PrintWriter out, PrintWriter err) {
    LogRouting.install();
    CommandLine cl = new CommandLine(new FerryCommand());
    ((CallCommand) cl.getSubcommands().get("call").getCommand()).stdin = in;
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // `-d @file` and `-d @-` are grpcurl's; picocli would otherwise read @file as an argument file.
    cl.setExpandAtFiles(false);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(new FailureHandler());
    cl.setParameterExceptionHandler(new UsageErrorHandler());
    cl.setExitCodeExceptionMapper(ExitCodes::forException);
    return cl;
  }
}
