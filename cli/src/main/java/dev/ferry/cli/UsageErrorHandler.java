package dev.ferry.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Reports a wrong command line in one line, such as {@code ferry greeter: Unknown option: '--bogus'
 * (see 'ferry greeter --help')}, instead of picocli's message followed by the whole usage; exits
 * with {@link ExitCodes#USAGE}.
 */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {
  @Override
  public int handleParseException(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    String where = cmd.getCommandSpec().qualifiedName();
    PrintWriter err = cmd.getErr();
    err.println(where + ": " + ex.getMessage() + " (see '" + where + " --help')");
    err.flush();
    return ExitCodes.USAGE;
  }
}
