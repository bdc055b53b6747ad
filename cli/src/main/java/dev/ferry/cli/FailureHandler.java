package dev.ferry.cli;

import dev.ferry.cli.exit.ExitCodes;
import dev.ferry.cli.exit.UserFacingException;
import picocli.CommandLine;

/**
 * Turns an exception escaping a command into one line on stderr: "ferry serve: port 8080 is already
 * in use". Only a bug (an exception that is not a {@link UserFacingException}) shows its stack
 * trace.
 */
final class FailureHandler implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(
      Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
    String where = cmd.getCommandSpec().qualifiedName();
    if (ex instanceof UserFacingException user) {
      cmd.getErr().println(where + ": " + user.getMessage());
      return user.exitCode();
    }
    cmd.getErr().println(where + ": internal error: " + ex);
    ex.printStackTrace(cmd.getErr());
    return ExitCodes.FAILURE;
  }
}
