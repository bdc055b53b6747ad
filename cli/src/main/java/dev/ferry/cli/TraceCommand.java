package dev.ferry.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** `ferry trace`: a transparent tap that prints every HTTP/2 frame of a call. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description =
        "A transparent tap that prints every HTTP/2 frame of a call (not built yet: issue #5).")
final class TraceCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserFacingException("not built yet; it is tracked by issue #5");
  }
}
