package dev.ferry.cli.call;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import dev.ferry.cli.call.diagnosis.FailureReporter;
import dev.ferry.cli.call.expect.Expectations;
import dev.ferry.cli.call.interactive.InteractiveSession;
import dev.ferry.cli.call.invoke.CallPrinter;
import dev.ferry.cli.call.invoke.CallResult;
import dev.ferry.cli.call.invoke.DynamicCall;
import dev.ferry.cli.call.invoke.JsonObjectSplitter;
import dev.ferry.cli.call.invoke.RequestHeaders;
import dev.ferry.cli.call.invoke.RequestInput;
import dev.ferry.cli.call.invoke.RequestReader;
import dev.ferry.cli.call.invoke.SentHeadersTap;
import dev.ferry.cli.call.load.LoadMode;
import dev.ferry.cli.call.schema.ReflectionSchemaSource;
import dev.ferry.cli.call.schema.SchemaFiles;
import dev.ferry.cli.call.schema.SchemaPrinter;
import dev.ferry.cli.call.schema.SchemaSource;
import dev.ferry.cli.call.schema.Symbols;
import dev.ferry.cli.call.script.ScriptRunner;
import dev.ferry.cli.call.transport.ChannelFactory;
import dev.ferry.cli.call.transport.ReceivedBytes;
import dev.ferry.cli.call.transport.Target;
import dev.ferry.cli.call.web.CallProtocol;
import dev.ferry.cli.call.web.WebChannel;
import dev.ferry.cli.exit.ExitCodes;
import dev.ferry.cli.exit.UserFacingException;
import dev.ferry.cli.option.DurationOption;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Runs one {@code ferry call}: picks the transport and schema source, then lists, describes or
 * calls, and returns the exit code (0, 64 + status, 1 for ferry's own failures).
 */
public final class CallRunner {
  private final CallArguments args;
  private final InputStream stdin;
  private final PrintWriter out;
  private final PrintWriter err;
  private final CallPrinter printer;
  private Target target;
  private ChannelFactory.Security security;
  private ManagedChannel channel;
  private SentHeadersTap tap;
  private final ReceivedBytes received = new ReceivedBytes();

  public CallRunner(CallArguments args, InputStream stdin, PrintWriter out, PrintWriter err) {
    this.args = args;
    this.stdin = stdin;
    this.out = out;
    this.err = err;
    this.printer = new CallPrinter(out, err, args.verbose, args.format, args.emitDefaults);
  }

  /**
   * Checks the arguments before anything is sent; returns the one sentence saying what is wrong, or
   * null.
   */
  public String usageProblem() {
    String conflict = args.transport.conflict();
    if (conflict != null) {
      return conflict;
    }
    if (!args.schema.protos.isEmpty() && !args.schema.protosets.isEmpty()) {
      return "give the schema by --proto or by --protoset, not both";
    }
    if (!args.schema.importPaths.isEmpty() && args.schema.protos.isEmpty()) {
      return "--import-path goes with --proto: ferry call --proto FILE --import-path DIR ...";
    }
    if (args.script != null) {
      return scriptProblem();
    }
    if (args.junit != null) {
      return "--junit goes with --script";
    }
    if (args.address == null) {
      return "missing ADDRESS: host:port of the server, like 127.0.0.1:50051";
    }
    try {
      target = Target.parse(args.address);
      headers();
      if (args.expectStatus != null) {
        Expectations.parseStatus(args.expectStatus);
      }
      if (args.expect != null) {
        Expectations.checkExpected("--expect", args.expect);
      }
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    String loadConflict = args.load.conflict();
    if (loadConflict != null) {
      return loadConflict;
    }
    if (args.interactive
        && (args.verb != null || args.data != null || args.load.enabled() || args.template)) {
      return "--interactive takes the method and request at its prompt: give no method, -d, -n"
          + " or --template";
    }
    String verb = verb();
    if (args.load.enabled() && (verb.equals("list") || verb.equals("describe"))) {
      return "load mode (-n, --duration) calls a method, not " + verb;
    }
    if (args.load.enabled() && (args.expect != null || args.expectStatus != null)) {
      return "--expect and --expect-status check one call; in load mode use --slo";
    }
    if (args.template && !verb.equals("describe")) {
      return "--template goes with describe: ferry call ADDR describe pkg.Message --template";
    }
    if ("@".equals(args.data)) {
      return "-d @: give a file after the @ (-d @request.json), or -d @- to read stdin";
    }
    if ((verb.equals("list") || verb.equals("describe")) && args.data != null) {
      return "-d goes with a method call, not with " + verb;
    }
    if (args.template && args.symbol == null) {
      return "--template needs a message or a method: ferry call ADDR describe pkg.Message"
          + " --template";
    }
    if (!verb.equals("list") && !verb.equals("describe") && args.symbol != null) {
      return "unexpected argument '" + args.symbol + "' after the method (the request goes in -d)";
    }
    return protocolProblem(verb);
  }

  /** Where --protocol grpc-web|connect cannot go: it is for one call of a method, over TCP. */
  private String protocolProblem(String verb) {
    if (args.protocol == CallProtocol.GRPC) {
      return null;
    }
    String p = "--protocol " + args.protocol;
    if (verb.equals("list") || verb.equals("describe")) {
      return p + " is for calling a method: " + verb + " asks the schema by gRPC reflection";
    }
    if (args.interactive || args.load.enabled()) {
      return p + " makes one call: not with --interactive or load mode (-n, --duration)";
    }
    if (target.isUnix()) {
      return p + " reaches a host:port (over HTTP/1.1, as a browser does), not a unix: socket";
    }
    return null;
  }

  private String scriptProblem() {
    if (args.verb != null || args.data != null || args.load.enabled() || args.template) {
      return "--script runs the calls its file lists: give no method, -d, -n or --template";
    }
    if (args.expect != null || args.expectStatus != null) {
      return "--script takes its expectations from the file (expect, expect_status)";
    }
    if (args.protocol != CallProtocol.GRPC) {
      return "--protocol " + args.protocol + " makes one call: not with --script";
    }
    try {
      if (args.address != null) {
        Target.parse(args.address);
      }
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    return null;
  }

  public int run() throws IOException, InterruptedException {
    if (args.script != null) {
      return runScript();
    }
    if (target == null && usageProblem() != null) {
      throw new IllegalStateException("usageProblem() first");
    }
    boolean offline =
        !args.interactive
            && SchemaFiles.given(args.schema)
            && (verb().equals("list") || verb().equals("describe"));
    try (SchemaSource schema = offline ? SchemaFiles.load(args.schema) : connect()) {
      if (args.interactive) {
        return interactive(schema);
      }
      switch (verb()) {
        case "list" -> new SchemaPrinter(schema, out).list(args.symbol);
        case "describe" -> new SchemaPrinter(schema, out).describe(args.symbol, args.template);
        default -> {
          return args.load.enabled() ? load(schema) : invoke(schema);
        }
      }
      return ExitCodes.OK;
    } catch (StatusRuntimeException e) {
      // Reflection failed: the same report as a failed call, since the cause is the same, and
      // what a proxy in front says of the backends behind it.
      Metadata trailers = e.getTrailers() == null ? new Metadata() : e.getTrailers();
      return reported(
          failureReporter().schemaLookupLines(e.getStatus(), trailers), e.getStatus(), trailers);
    } catch (SchemaSource.SchemaException e) {
      throw new UserFacingException(e.getMessage(), e);
    } finally {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      if (tap != null) {
        tap.close();
      }
    }
  }

  private int runScript() throws IOException, InterruptedException {
    return new ScriptRunner(args.transport, args.schema, args.deadline, out)
        .run(args.script, args.address, args.junit);
  }

  private String verb() {
    return args.verb == null ? "list" : args.verb;
  }

  private SchemaSource connect() throws IOException {
    try {
      security = ChannelFactory.choose(target, args.transport);
    } catch (IOException e) {
      throw new StatusRuntimeException(
          Status.UNAVAILABLE.withDescription(e.getMessage()).withCause(e));
    }
    printer.note("* " + target + ": " + security.describe());
    if (printer.verbose()) {
      // Before the channel: the tap sees the connections opened while it is open.
      tap = SentHeadersTap.open();
    }
    try {
      channel = ChannelFactory.open(target, args.transport, security, received);
    } catch (IOException e) {
      throw new UserFacingException(e.getMessage(), e);
    }
    if (SchemaFiles.given(args.schema)) {
      return SchemaFiles.load(args.schema);
    }
    ReflectionSchemaSource reflection =
        new ReflectionSchemaSource(
            channel,
            CallOptions.DEFAULT,
            args.deadline != null ? args.deadline : java.time.Duration.ofSeconds(30));
    return reflection;
  }

  private int invoke(SchemaSource schema) throws IOException, InterruptedException {
    Descriptors.MethodDescriptor method = Symbols.method(schema, args.verb);
    printer.note("* schema: " + schema.describe());
    CallOptions options = callOptions();
    CallResult result;
    try (Reader input = input()) {
      RequestReader requests = RequestReader.forMethod(input, method);
      if (!method.isClientStreaming()) {
        // One request: read and checked before the call starts, so that bad input (not JSON, a
        // lone surrogate, binary data) never reaches the server as a cancelled call.
        List<DynamicMessage> one = new ArrayList<>(List.of(requests.next()));
        requests = () -> one.isEmpty() ? null : one.remove(0);
      }
      if (args.deadline != null) {
        printer.note(
            "* deadline " + DurationOption.format(args.deadline) + " (sent as grpc-timeout)");
      }
      result = callOver(method).run(method, headers(), options, requests);
    } catch (JsonObjectSplitter.MalformedInputException e) {
      throw new UserFacingException(e.getMessage(), e);
    }
    if (!result.status().isOk()) {
      int code =
          failed(
              result.status(), result.trailers(), result.requestSent(), result.headersReceived());
      return args.expectStatus != null
          ? expectations().checkStatus(FailureReporter.reported(result.status(), result.trailers()))
          : code;
    }
    return expectations().check(result);
  }

  /** The call on grpc-java's channel, or on a web protocol's when --protocol names one. */
  private DynamicCall callOver(Descriptors.MethodDescriptor method) throws IOException {
    if (args.protocol == CallProtocol.GRPC) {
      return new DynamicCall(channel, printer, tap);
    }
    if (method.isClientStreaming()) {
      throw new UserFacingException(
          "--protocol "
              + args.protocol
              + " carries unary and server-streaming calls only (a browser cannot stream a"
              + " request), and "
              + method.getFullName()
              + " is "
              + (method.isServerStreaming() ? "bidi" : "client")
              + "-streaming");
    }
    WebChannel web = WebChannel.open(args.protocol, target, args.transport, security);
    printer.note("* " + web.describe());
    // No echo of the sent headers: the tap sees grpc-java's HTTP/2 frames, not these requests.
    return new DynamicCall(web, printer, null);
  }

  /** Options for one call; the deadline counts from now, so each call gets a fresh one. */
  private CallOptions callOptions() {
    CallOptions options =
        CallOptions.DEFAULT.withMaxInboundMessageSize(args.transport.maxMessageSize());
    if (args.deadline != null) {
      options = options.withDeadlineAfter(args.deadline.toNanos(), TimeUnit.NANOSECONDS);
    }
    return options;
  }

  private int interactive(SchemaSource schema) throws IOException, InterruptedException {
    headers(); // -H is checked before the prompt opens
    // dumb(true): piped input (a scripted session) gets a plain terminal without jline's warning.
    try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
      return new InteractiveSession(
              terminal,
              InteractiveSession.defaultHistory(System.getenv()),
              schema,
              channel,
              this::callOptions,
              args.headers,
              failureReporter())
          .run();
    }
  }

  private int load(SchemaSource schema) throws IOException, InterruptedException {
    Descriptors.MethodDescriptor method = Symbols.method(schema, args.verb);
    List<DynamicMessage> requests = new ArrayList<>();
    try (Reader input = input()) {
      RequestReader reader = RequestReader.forMethod(input, method);
      for (DynamicMessage m = reader.next(); m != null; m = reader.next()) {
        requests.add(m);
      }
    } catch (JsonObjectSplitter.MalformedInputException e) {
      throw new UserFacingException(e.getMessage(), e);
    }
    return new LoadMode(args.load, args.transport, args.deadline, target, security, out, err)
        .run(method, requests, headers());
  }

  private int failed(
      Status status, Metadata trailers, boolean requestSent, boolean headersReceived) {
    return reported(
        failureReporter().lines(status, trailers, requestSent, headersReceived), status, trailers);
  }

  /** Prints the {@code report} of a failure; returns the exit code for its status. */
  private int reported(List<String> report, Status status, Metadata trailers) {
    for (String line : report) {
      err.println(line);
    }
    err.flush();
    return ExitCodes.forGrpcStatus(FailureReporter.reported(status, trailers).getCode().value());
  }

  private FailureReporter failureReporter() {
    ChannelFactory.Security used =
        security == null
            ? new ChannelFactory.Security(!args.transport.plaintext(), false)
            : security;
    return new FailureReporter(
            target,
            used,
            args.transport.authority(),
            args.deadline,
            args.transport.connectTimeout())
        .withReceivedBytes(received);
  }

  private Expectations expectations() {
    return new Expectations(
        args.expectStatus == null ? null : Expectations.parseStatus(args.expectStatus),
        args.expect,
        err);
  }

  private Metadata headers() {
    return new RequestHeaders(args.expandHeaders, System::getenv).parse(args.headers);
  }

  private Reader input() throws IOException {
    return RequestInput.open(args.data, stdin);
  }
}
