package dev.ferry.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** `ferry daininki`: the example helloworld.Daininki backend. */
@Command(
    name = "daininki",
    mixinStandardHelpOptions = true,
    description = "The example helloworld.Daininki backend (not built yet: issue #2).")
final class DaininkiCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserFacingException("not built yet; it is tracked by issue #2");
  }
}
