package dev.ferry.cli;

import dev.ferry.testservers.ExampleServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The training run behind the class-data sharing archive that {@code mvn package} makes: runs the
 * short commands a user starts by hand ({@code --help}, {@code --version}, a one-shot {@code call}
 * by reflection, {@code list}, {@code describe}) against a greeter in this process, so that the JVM
 * records the classes they load. {@code ./ferry} then maps those classes from the archive instead
 * of reading, verifying and linking them from the jar at every start.
 */
final class StartupTraining {
  private StartupTraining() {}

  public static void main(String[] args) throws Exception {
    // The TLS probe of a call without --plaintext may reach the greeter, still cold, before it
    // has spoken first; the greeter then logs the probe's hello as a broken connection, which is
    // no news in a build's output.
    Logger transports = Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty");
    transports.setLevel(Level.OFF);
    try (ExampleServer greeter = ExampleServer.builder(ExampleServer.Kind.GREETER).start()) {
      String address = greeter.authority();
      String method = "helloworld.Greeter/SayHello";
      String request = "{\"name\":\"training\"}";
      run(0, "--help");
      run(0, "--version");
      run(0, "call", "--help");
      run(0, "call", address, "list");
      run(0, "call", address, "describe", "helloworld.Greeter");
      run(0, "call", address, "describe", "helloworld.HelloRequest", "--template");
      run(0, "call", address, method, "-d", request);
      run(0, "call", "--plaintext", address, method, "-d", request);
      // A failed call, so that the failure report's classes are in the archive too.
      run(64 + 14, "call", address, method, "-d", request, "-H", "x-fail-status: 14");
    }
  }

  /** Runs {@code args} as {@code ferry args} would; a different exit code fails the build. */
  private static void run(int expected, String... args) {
    StringWriter sink = new StringWriter();
    PrintWriter out = new PrintWriter(sink, true);
    int exit =
        Main.commandLineFor(args, new ByteArrayInputStream(new byte[0]), out, out).execute(args);
    if (exit != expected) {
      throw new IllegalStateException(
          "ferry "
              + String.join(" ", List.of(args))
              + " exited "
              + exit
              + ", not "
              + expected
              + ":\n"
              + sink);
    }
  }
}
