package dev.ferry.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** `ferry demo`: the whole example topology. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "The whole example topology: backends and proxy (not built yet: issue #3).")
final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserFacingException("not built yet; it is tracked by issue #3");
  }
}
