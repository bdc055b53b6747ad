package dev.ferry.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** `ferry call`: a reflective gRPC client (grpcurl, evans and ghz in one). */
@Command(
    name = "call",
    mixinStandardHelpOptions = true,
    description =
        "A reflective gRPC client (grpcurl, evans and ghz in one) (not built yet: issue #4).")
final class CallCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserFacingException("not built yet; it is tracked by issue #4");
  }
}
