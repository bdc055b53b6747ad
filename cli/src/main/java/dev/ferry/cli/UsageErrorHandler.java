package dev.ferry.cli;

import dev.ferry.cli.exit.ExitCodes;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * Reports a wrong command line in one line, such as {@code ferry greeter: Unknown option: '--bogus'
 * (see 'ferry greeter --help')} or {@code ferry: Unmatched argument at index 0: 'gretter' (did you
 * mean 'greeter'?)}, instead of picocli's message followed by the whole usage; exits with {@link
 * ExitCodes#USAGE}.
 */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {
  @Override
  public int handleParseException(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    String where = cmd.getCommandSpec().qualifiedName();
    PrintWriter err = cmd.getErr();
    err.println(where + ": " + ex.getMessage() + " (" + hint(ex, where) + ")");
    err.flush();
    return ExitCodes.USAGE;
  }

  private static String hint(CommandLine.ParameterException ex, String where) {
    List<String> suggestions =
        ex instanceof CommandLine.UnmatchedArgumentException unmatched
            ? unmatched.getSuggestions()
            : List.of();
    if (suggestions.isEmpty()) {
      return "see '" + where + " --help'";
    }
    return "did you mean "
        + suggestions.stream().map(s -> "'" + s + "'").collect(Collectors.joining(" or "))
        + "?";
  }
}
