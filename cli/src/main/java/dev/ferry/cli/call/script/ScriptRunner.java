package dev.ferry.cli.call.script;

import com.google.protobuf.Descriptors;
import dev.ferry.cli.call.diagnosis.FailureReporter;
import dev.ferry.cli.call.expect.Expectations;
import dev.ferry.cli.call.invoke.CallPrinter;
import dev.ferry.cli.call.invoke.CallResult;
import dev.ferry.cli.call.invoke.DynamicCall;
import dev.ferry.cli.call.invoke.MessageFormat;
import dev.ferry.cli.call.invoke.RequestHeaders;
import dev.ferry.cli.call.invoke.RequestReader;
import dev.ferry.cli.call.schema.ReflectionSchemaSource;
import dev.ferry.cli.call.schema.SchemaFiles;
import dev.ferry.cli.call.schema.SchemaOptions;
import dev.ferry.cli.call.schema.SchemaSource;
import dev.ferry.cli.call.schema.Symbols;
import dev.ferry.cli.call.transport.ChannelFactory;
import dev.ferry.cli.call.transport.ReceivedBytes;
import dev.ferry.cli.call.transport.Target;
import dev.ferry.cli.call.transport.TransportOptions;
import dev.ferry.cli.exit.ExitCodes;
import dev.ferry.cli.exit.UserFacingException;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code ferry call --script FILE}: runs a {@link SmokeScript} against each of its targets: one
 * connection per target, the calls in order, a PASS or FAIL line per call with the reason, a
 * closing count, and the JUnit report if asked for.
 */
public final class ScriptRunner {
  /** The outcome of one call of the script against one target. */
  record Result(
      String target, String name, boolean passed, String message, String details, double seconds) {}

  private final TransportOptions transport;
  private final SchemaOptions schemaFiles;
  private final Duration defaultDeadline;
  private final PrintWriter out;
  private final List<Result> results = new ArrayList<>();

  /**
   * @param schemaFiles the schema files to use instead of server reflection, if any are given
   * @param defaultDeadline the deadline of the calls whose script sets none; null for 30s
   */
  public ScriptRunner(
      TransportOptions transport,
      SchemaOptions schemaFiles,
      Duration defaultDeadline,
      PrintWriter out) {
    this.transport = transport;
    this.schemaFiles = schemaFiles;
    this.defaultDeadline = defaultDeadline == null ? Duration.ofSeconds(30) : defaultDeadline;
    this.out = out;
  }

  /**
   * Runs the script in {@code file}; 0 when every call passed, else 1.
   *
   * @param address the target to run against instead of the script's, or null
   * @param junit where to write the results as JUnit XML, or null
   */
  public int run(Path file, String address, Path junit) throws IOException, InterruptedException {
    SmokeScript script;
    try {
      script = SmokeScript.load(file);
    } catch (IllegalArgumentException e) {
      throw new UserFacingException(e.getMessage(), e);
    }
    List<String> targets = address != null ? List.of(address) : script.targets();
    if (targets.isEmpty()) {
      throw new UserFacingException(
          file + ": no targets: list them under targets:, or give ADDRESS");
    }
    int exit;
    try {
      exit = run(script, targets);
    } catch (IllegalArgumentException e) {
      throw new UserFacingException(file + ": " + e.getMessage(), e);
    }
    if (junit != null) {
      JUnitReport.write(junit, file.getFileName().toString(), results);
    }
    return exit;
  }

  /** Runs every call against every target; 0 when all passed, else 1. */
  private int run(SmokeScript script, List<String> targets) throws InterruptedException {
    for (String address : targets) {
      runTarget(script, Target.parse(address));
    }
    long failed = results.stream().filter(r -> !r.passed()).count();
    out.println((results.size() - failed) + " passed, " + failed + " failed");
    out.flush();
    return failed == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  private void runTarget(SmokeScript script, Target target) throws InterruptedException {
    ChannelFactory.Security security;
    ManagedChannel channel;
    ReceivedBytes received = new ReceivedBytes();
    try {
      security = ChannelFactory.choose(target, transport);
      // On the one-shot call's event loop, which the call command stops before exit: grpc-java's
      // shared one would leave a thread in native code, and the JVM waits 300 ms for it at exit.
      channel = ChannelFactory.open(target, transport, security, received);
    } catch (IOException e) {
      for (SmokeScript.Case c : script.calls()) {
        report(
            new Result(
                target.toString(), c.name(), false, "cannot connect: " + e.getMessage(), "", 0));
      }
      return;
    }
    try (SchemaSource schema =
        SchemaFiles.given(schemaFiles)
            ? SchemaFiles.load(schemaFiles)
            : new ReflectionSchemaSource(channel, CallOptions.DEFAULT, defaultDeadline)) {
      for (SmokeScript.Case c : script.calls()) {
        report(runCase(c, target, security, channel, received, schema));
      }
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private Result runCase(
      SmokeScript.Case c,
      Target target,
      ChannelFactory.Security security,
      ManagedChannel channel,
      ReceivedBytes received,
      SchemaSource schema)
      throws InterruptedException {
    long start = System.nanoTime();
    String where = target.toString();
    try {
      Descriptors.MethodDescriptor method = Symbols.method(schema, c.method());
      Metadata headers = new RequestHeaders(false, System::getenv).parse(c.headers());
      Duration deadline = c.deadline() == null ? defaultDeadline : c.deadline();
      CallOptions options =
          CallOptions.DEFAULT
              .withMaxInboundMessageSize(transport.maxMessageSize())
              .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
      RequestReader requests =
          RequestReader.forMethod(c.data() == null ? null : new StringReader(c.data()), method);
      PrintWriter discard = new PrintWriter(Writer.nullWriter());
      CallPrinter quiet = new CallPrinter(discard, discard, false, MessageFormat.JSON, false);
      CallResult result = new DynamicCall(channel, quiet).run(method, headers, options, requests);
      double seconds = (System.nanoTime() - start) / 1e9;
      java.io.StringWriter checks = new java.io.StringWriter();
      PrintWriter checkOut = new PrintWriter(checks);
      int exit =
          new Expectations(Expectations.parseStatus(c.expectStatus()), c.expect(), checkOut)
              .check(result);
      checkOut.flush();
      if (exit == ExitCodes.OK) {
        return new Result(where, c.name(), true, "", "", seconds);
      }
      String details = "";
      if (!result.status().isOk()) {
        details =
            String.join(
                "\n",
                new FailureReporter(
                        target,
                        security,
                        transport.authority(),
                        deadline,
                        transport.connectTimeout())
                    .withReceivedBytes(received)
                    .lines(result));
      }
      return new Result(where, c.name(), false, checks.toString().strip(), details, seconds);
    } catch (StatusRuntimeException e) {
      return failure(where, c, start, "reflection failed: " + e.getStatus());
    } catch (SchemaSource.SchemaException | IllegalArgumentException | IOException e) {
      return failure(where, c, start, e.getMessage());
    }
  }

  private static Result failure(String where, SmokeScript.Case c, long start, String message) {
    return new Result(where, c.name(), false, message, "", (System.nanoTime() - start) / 1e9);
  }

  private void report(Result r) {
    results.add(r);
    out.printf(
        Locale.ROOT,
        "%s  %s  (%s, %.1fms)%s%n",
        r.passed() ? "PASS" : "FAIL",
        r.name(),
        r.target(),
        r.seconds() * 1e3,
        r.passed() ? "" : ": " + r.message());
    out.flush();
  }
}
