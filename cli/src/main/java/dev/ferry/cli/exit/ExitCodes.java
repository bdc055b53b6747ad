package dev.ferry.cli.exit;

import picocli.CommandLine;

/** The exit codes of every ferry command, in one place (grpcurl's convention for calls). */
public final class ExitCodes {
  public static final int OK = 0;

  /** ferry itself failed: a port in use, a missing file, a broken config. */
  public static final int FAILURE = 1;

  /** The command line was wrong. */
  public static final int USAGE = CommandLine.ExitCode.USAGE;

  /**
   * {@code ferry import}: the configuration was converted, but some of it has no counterpart in
   * ferry (the report lists what, with file:line).
   */
  public static final int IMPORT_PARTIAL = 3;

  /**
   * {@code ferry import}: nothing could be converted: a syntax error (reported with file:line), a
   * missing file, or no server that ferry can route for.
   */
  public static final int IMPORT_IMPOSSIBLE = 4;

  /** A call ended with gRPC status {@code code}: 64 + code, as grpcurl does. */
  public static int forGrpcStatus(int code) {
    return code == 0 ? OK : 64 + code;
  }

  public static int forException(Throwable t) {
    return t instanceof CommandLine.ParameterException ? USAGE : FAILURE;
  }

  private ExitCodes() {}
}
