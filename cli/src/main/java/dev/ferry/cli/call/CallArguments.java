package dev.ferry.cli.call;

import dev.ferry.cli.call.invoke.MessageFormat;
import dev.ferry.cli.call.load.LoadOptions;
import dev.ferry.cli.call.schema.SchemaOptions;
import dev.ferry.cli.call.transport.TransportOptions;
import dev.ferry.cli.call.web.CallProtocol;
import dev.ferry.cli.option.DurationOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Everything {@code ferry call} is told on its command line, grpcurl's grammar first. */
public final class CallArguments {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "ADDRESS",
      description =
          "host:port of the server, or unix:/path (with --script: instead of the script's"
              + " targets).")
  String address;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "VERB",
      description =
          "list, describe, or the method to call: package.Service/Method (default: list).")
  String verb;

  @Parameters(
      index = "2",
      arity = "0..1",
      paramLabel = "SYMBOL",
      description =
          "For list: a service; for describe: a service, method, message or enum (none:"
              + " every service).")
  String symbol;

  @Option(
      names = {"-d", "--data"},
      paramLabel = "JSON",
      description =
          "The request as JSON; @FILE reads a file, @- reads stdin. Streaming methods take"
              + " several objects, concatenated or one per line, each sent as it is read.")
  String data;

  @Option(
      names = {"-H", "--header"},
      paramLabel = "'NAME: VALUE'",
      description = "Request metadata (repeatable); -bin names take base64 values.")
  List<String> headers = new ArrayList<>();

  @Option(
      names = "--expand-headers",
      description = "Replace $${NAME} in -H values with environment variables.")
  boolean expandHeaders;

  @Mixin public SchemaOptions schema = new SchemaOptions();

  @Option(
      names = "--interactive",
      description =
          "A prompt to list, describe and call, with Tab completion and history"
              + " (~/.ferry_history); -H headers apply to every call.")
  boolean interactive;

  @Option(
      names = "--template",
      description = "With describe: print a JSON skeleton of the message (or method's request).")
  boolean template;

  @Option(names = "--emit-defaults", description = "Print fields that hold their zero value.")
  boolean emitDefaults;

  @Option(
      names = "--format",
      paramLabel = "json|text",
      defaultValue = "json",
      description = "How to print responses: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  MessageFormat format;

  @Option(
      names = {"-v", "--verbose"},
      description =
          "Show the connection, request and response headers, each message's time, trailers.")
  boolean verbose;

  @Option(
      names = "--deadline",
      paramLabel = "DURATION",
      converter = DurationOption.class,
      description = "Fail the call if it takes longer, like 5s or 250ms (default: none).")
  Duration deadline;

  @Option(
      names = "--expect-status",
      paramLabel = "CODE",
      description =
          "Succeed (exit 0) only if the call ends with this status, by name or number"
              + " (NOT_FOUND, 5); otherwise exit 1.")
  String expectStatus;

  @Option(
      names = "--expect",
      paramLabel = "JSON",
      description =
          "Succeed only if a response contains this JSON (a subset: listed fields must match);"
              + " otherwise exit 1.")
  String expect;

  @Option(
      names = "--script",
      paramLabel = "FILE",
      description = "Run the calls and checks of a YAML smoke test against its targets.")
  Path script;

  @Option(
      names = "--junit",
      paramLabel = "FILE",
      description = "With --script: write the results as JUnit XML for CI.")
  Path junit;

  @Option(
      names = "--protocol",
      paramLabel = "PROTOCOL",
      defaultValue = "grpc",
      converter = CallProtocol.Converter.class,
      completionCandidates = CallProtocol.Names.class,
      description =
          "What the call speaks: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})."
              + " grpc-web and connect go over HTTP/1.1 as browsers send them, through a bridge"
              + " such as ferry serve; the schema is still asked by gRPC reflection.")
  CallProtocol protocol = CallProtocol.GRPC;

  @Mixin TransportOptions transport = new TransportOptions();

  @Mixin LoadOptions load = new LoadOptions();
}
