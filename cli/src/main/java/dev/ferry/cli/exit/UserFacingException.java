package dev.ferry.cli.exit;

/**
 * A failure the user can act on, shown as one line without a stack trace: "port 50051 is already in
 * use", "no such file: certs/server.pem".
 */
public class UserFacingException extends RuntimeException {
  private final int exitCode;

  public UserFacingException(String message) {
    this(message, ExitCodes.FAILURE, null);
  }

  public UserFacingException(String message, Throwable cause) {
    this(message, ExitCodes.FAILURE, cause);
  }

  public UserFacingException(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
