package dev.ferry.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** `ferry serve`: the gRPC-aware HTTP/2 reverse proxy and load balancer. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "The gRPC-aware HTTP/2 reverse proxy and load balancer (not built yet: issue #3).")
final class ServeCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserFacingException("not built yet; it is tracked by issue #3");
  }
}
