package dev.ferry.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** `ferry greeter`: the example helloworld.Greeter backend. */
@Command(
    name = "greeter",
    mixinStandardHelpOptions = true,
    description = "The example helloworld.Greeter backend (not built yet: issue #2).")
final class GreeterCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserFacingException("not built yet; it is tracked by issue #2");
  }
}
