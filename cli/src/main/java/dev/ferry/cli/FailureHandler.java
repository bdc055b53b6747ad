package dev.ferry.cli;

import dev.ferry.cli.exit.ExitCodes;
import dev.ferry.cli.exit.UserFacingException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Turns an exception escaping a command into one line on stderr: "ferry serve: port 8080 is already
 * in use". An exception ferry did not expect (a bug) is one line too, naming what failed; its stack
 * trace goes to the DEBUG log ({@code --log-level debug}), not to the terminal.
 */
final class FailureHandler implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(
      Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
    String where = cmd.getCommandSpec().qualifiedName();
    if (ex instanceof UserFacingException user) {
      cmd.getErr().println(where + ": " + user.getMessage());
      cmd.getErr().flush();
      return user.exitCode();
    }
    // Its logger made only now: SLF4J starting costs every command (see LogRouting).
    LoggerFactory.getLogger(FailureHandler.class).debug("{} failed", where, ex);
    cmd.getErr().println(where + ": " + unexpected(ex));
    cmd.getErr().flush();
    return ExitCodes.FAILURE;
  }

  /** One line for an exception that no part of ferry turned into a message of its own. */
  static String unexpected(Throwable ex) {
    String message = ex.getMessage();
    String what =
        message == null || message.isBlank()
            ? ex.getClass().getSimpleName()
            : message.lines().findFirst().orElse(message).strip();
    return "internal error: "
        + what
        + " (a bug in ferry; --log-level debug shows where, please report it)";
  }
}
