package dev.ferry.cli;

import dev.ferry.cli.call.CallArguments;
import dev.ferry.cli.call.CallRunner;
import dev.ferry.cli.call.transport.ChannelFactory;
import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `ferry call`: a reflective gRPC client (grpcurl's grammar, better failure reports). */
@Command(
    name = "call",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "A gRPC client that needs no generated code, with grpcurl's grammar.",
      "It learns the schema by server reflection (or --proto source files, or",
      "--protoset). TLS or plaintext is detected unless --plaintext or a TLS flag",
      "says which. ADDRESS is host:port, or unix:/path for a Unix domain socket.",
      "Exit code: 0 OK; 64 + the gRPC status code when a call fails; 1 for ferry's",
      "own errors and failed --expect checks; 2 for usage."
    },
    footer = {
      "",
      "Examples:",
      "  ferry call 127.0.0.1:50051 list",
      "  ferry call 127.0.0.1:50051 describe                    every service",
      "  ferry call 127.0.0.1:50051 describe helloworld.Greeter",
      "  ferry call 127.0.0.1:50051 describe helloworld.HelloRequest --template",
      "  ferry call 127.0.0.1:50051 helloworld.Greeter/SayHello -d '{\"name\":\"ferry\"}'",
      "  ferry call --proto helloworld.proto --import-path protos 127.0.0.1:50051 \\",
      "      helloworld.Greeter/SayHello -d '{\"name\":\"ferry\"}'",
      "  printf '{\"name\":\"a\"}\\n{\"name\":\"b\"}\\n' | ferry call 127.0.0.1:50051 \\",
      "      helloworld.Greeter/SayHelloBidiStream -d @-",
      "  ferry call -v 127.0.0.1:50051 helloworld.Greeter/SayHello \\",
      "      -H 'x-fail-status: 14'",
      "  ferry call unix:/tmp/greeter.sock describe"
    })
final class CallCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CallArguments arguments;

  /** Where {@code -d @-} reads; tests set it through {@link Main#commandLine}. */
  private final InputStream stdin;

  CallCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public Integer call() throws Exception {
    CallRunner runner =
        new CallRunner(arguments, stdin, spec.commandLine().getOut(), spec.commandLine().getErr());
    String problem = runner.usageProblem();
    if (problem != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), problem);
    }
    try {
      return runner.run();
    } finally {
      // Before exit, which would wait 300 ms for a loop's thread (ChannelFactory's CallLoop); here
      // rather than in Main, so that the commands that make no call load no Netty classes.
      ChannelFactory.stopEventLoops();
    }
  }
}
