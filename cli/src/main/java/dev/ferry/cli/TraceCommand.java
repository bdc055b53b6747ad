package dev.ferry.cli;

import com.google.protobuf.Descriptors.FileDescriptor;
import dev.ferry.cli.call.schema.SchemaOptions;
import dev.ferry.cli.call.schema.ServiceSchemas;
import dev.ferry.cli.call.transport.Target;
import dev.ferry.cli.exit.ExitCodes;
import dev.ferry.cli.exit.UserFacingException;
import dev.ferry.cli.trace.SchemaMessageDecoder;
import dev.ferry.cli.trace.TraceOutput;
import dev.ferry.proxy.trace.MessageDecoder;
import dev.ferry.proxy.trace.TapTls;
import dev.ferry.proxy.trace.TraceFilter;
import dev.ferry.proxy.trace.TraceFormatter;
import dev.ferry.proxy.trace.TraceOptions;
import dev.ferry.proxy.trace.TraceTap;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `ferry trace`: a transparent tap that prints every HTTP/2 frame, message and trailer. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description = {
      "A transparent tap: clients connect to --listen, bytes pass unchanged to --to, and every"
          + " HTTP/2 frame, header, gRPC message and trailer is printed, with the root cause"
          + " where the frames show one. Ctrl-C prints a table of calls by status."
    },
    footer = {
      "",
      "Examples:",
      "  ferry trace --listen 127.0.0.1:9090 --to 127.0.0.1:50051",
      "  ferry trace --to 127.0.0.1:50051 --errors-only",
      "  ferry trace --to 127.0.0.1:50051 --protoset greeter.protoset --no-reflection",
      "  ferry trace --to 127.0.0.1:50051 --json --output trace.jsonl",
      "  ferry trace --to 127.0.0.1:50051 --as-commands > replay.sh"
    })
final class TraceCommand implements Callable<Integer> {
  private static final Set<String> FRAME_TYPES =
      Set.of(
          "DATA",
          "HEADERS",
          "PRIORITY",
          "RST_STREAM",
          "SETTINGS",
          "PUSH_PROMISE",
          "PING",
          "GOAWAY",
          "WINDOW_UPDATE");

  /** Long enough for a server on another continent, short enough not to stall the start. */
  private static final Duration REFLECTION_TIMEOUT = Duration.ofSeconds(3);

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  StopSignal stopSignal = StopSignal.fromOperatingSystem();

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:9090",
      description = "Where clients connect (default: ${DEFAULT-VALUE}; port 0 picks one).")
  String listen;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "HOST:PORT",
      description = "The server the bytes are relayed to: host:port, or unix:/path (plaintext).")
  String to;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "PEM certificate chain: clients connect with TLS (needs --tls-key).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of --tls-cert.")
  Path tlsKey;

  @Option(names = "--to-tls", description = "Connect to the upstream with TLS.")
  boolean toTls;

  @Option(
      names = "--to-ca",
      paramLabel = "FILE",
      description =
          "PEM CA certificates to trust for the upstream (implies --to-tls; default: the"
              + " JDK's CAs).")
  Path toCa;

  @Mixin SchemaOptions schema = new SchemaOptions();

  @Option(
      names = "--no-reflection",
      description =
          "Do not ask the upstream for its schema by server reflection at start (by default"
              + " it is asked, in addition to any --protoset or --proto, which win where both describe a"
              + " method).")
  boolean noReflection;

  @Option(names = "--json", description = "One JSON object per event, one per line.")
  boolean json;

  @Option(names = "--no-color", description = "No ANSI colours even on a terminal.")
  boolean noColor;

  @Option(names = "--output", paramLabel = "FILE", description = "Write the trace to FILE.")
  Path output;

  @Option(
      names = "--method",
      paramLabel = "TEXT",
      description = "Only calls whose path contains TEXT, such as SayHello.")
  String method;

  @Option(names = "--errors-only", description = "Only what shows something going wrong.")
  boolean errorsOnly;

  @Option(
      names = "--frames",
      split = ",",
      paramLabel = "TYPE",
      description = "Only these frame types, such as headers,data (other events still show).")
  List<String> frames = new ArrayList<>();

  @Option(names = "--summary-only", description = "Only one line per call.")
  boolean summaryOnly;

  @Option(
      names = "--as-commands",
      description = "Print each call as the `ferry call` command that repeats it, nothing else.")
  boolean asCommands;

  @Option(
      names = "--max-message-bytes",
      paramLabel = "N",
      defaultValue = "65536",
      description = "Keep and show at most N bytes of each message (default: ${DEFAULT-VALUE}).")
  int maxMessageBytes;

  @Option(
      names = "--calls",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Stop after N calls have ended, as tcpdump -c does (default: run until Ctrl-C).")
  int calls;

  @Override
  public Integer call() throws Exception {
    Set<String> frameTypes = new HashSet<>();
    for (String f : frames) {
      String type = f.trim().toUpperCase(Locale.ROOT);
      if (!FRAME_TYPES.contains(type)) {
        throw new UserFacingException(
            "--frames: no frame type '" + f + "' (expected some of " + sorted(FRAME_TYPES) + ")");
      }
      frameTypes.add(type);
    }
    if (maxMessageBytes < 0) {
      throw new UserFacingException(
          "--max-message-bytes: " + maxMessageBytes + " (expected: >= 0)");
    }
    InetSocketAddress listenAddress = HostPort.parse("--listen", listen);
    SocketAddress upstream = upstream();
    TapTls tls = tls();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    MessageDecoder decoder = decoder(upstream, err);
    PrintWriter traceOut = output == null ? out : openOutput(output);
    boolean color = !noColor && !json && output == null && System.console() != null;
    TraceOutput sink =
        new TraceOutput(
            traceOut,
            new TraceFilter(method, errorsOnly, frameTypes, summaryOnly),
            json ? TraceFormatter.json() : TraceFormatter.text(color),
            asCommands,
            calls,
            stopSignal::stop);
    TraceOptions options =
        TraceOptions.defaults().withDecoder(decoder).withMaxMessageBytes(maxMessageBytes);
    TraceTap tap;
    try {
      tap = TraceTap.start(listenAddress, upstream, tls, options, sink);
    } catch (IOException e) {
      throw new UserFacingException(e.getMessage(), e);
    }
    err.println(
        "ferry trace: listening on "
            + HostPort.format(tap.address())
            + (tlsCert != null ? " (TLS)" : "")
            + ", relaying to "
            + TraceTap.hostPort(upstream)
            + (tls.towardsUpstream() != null ? " (TLS)" : "")
            + (calls > 0
                ? ", stopping after " + calls + (calls == 1 ? " call" : " calls")
                : "; Ctrl-C stops"));
    err.flush();

    stopSignal.await();
    tap.close();
    sink.close();
    sink.printTable(json || asCommands || output != null ? err : out);
    if (traceOut != out) {
      traceOut.close();
    }
    return ExitCodes.OK;
  }

  private TapTls tls() {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new UserFacingException("--tls-cert and --tls-key go together");
    }
    try {
      return new TapTls(
          tlsCert == null ? null : TapTls.serverContext(tlsCert, tlsKey),
          toTls || toCa != null ? TapTls.upstreamContext(toCa) : null);
    } catch (SSLException | IllegalArgumentException e) {
      throw new UserFacingException("TLS: " + e.getMessage(), e);
    }
  }

  /** --to: {@code host:port}, or a Unix domain socket as gRPC names it ({@code unix:/path}). */
  private SocketAddress upstream() {
    if (!to.startsWith("unix:")) {
      InetSocketAddress address = HostPort.parse("--to", to);
      if (address.isUnresolved()) {
        // Every client would wait for a relay that can never connect: fail at the start instead.
        throw new UserFacingException(
            "--to "
                + to
                + ": unknown host "
                + address.getHostString()
                + ": the name does not resolve");
      }
      return address;
    }
    if (toTls || toCa != null) {
      throw new UserFacingException("--to " + to + ": a Unix socket upstream is plaintext only");
    }
    Target target;
    try {
      target = Target.parse(to);
      target.checkSocket();
    } catch (IllegalArgumentException | IOException e) {
      throw new UserFacingException("--to: " + e.getMessage(), e);
    }
    return new DomainSocketAddress(target.socket().toString());
  }

  /**
   * One decoder from every schema at hand: the .proto sources and protosets first, then what the
   * upstream tells by reflection. An upstream without reflection is no error: messages then show as
   * raw fields.
   */
  private MessageDecoder decoder(SocketAddress upstream, PrintWriter err) {
    List<FileDescriptor> files = new ArrayList<>();
    if (!schema.protos.isEmpty()) {
      try {
        files.addAll(ServiceSchemas.fromProtoFiles(schema.protos, schema.importPaths));
      } catch (ServiceSchemas.UnavailableException e) {
        throw new UserFacingException(e.getMessage(), e);
      }
    }
    if (!schema.protosets.isEmpty()) {
      try {
        files.addAll(ServiceSchemas.fromProtosets(schema.protosets));
      } catch (ServiceSchemas.UnavailableException e) {
        throw new UserFacingException(e.getMessage(), e);
      }
    }
    if (!noReflection) {
      try {
        ServiceSchemas.Found found =
            upstream instanceof InetSocketAddress tcp
                ? ServiceSchemas.byReflection(
                    tcp.getHostString(),
                    tcp.getPort(),
                    toTls || toCa != null,
                    toCa,
                    REFLECTION_TIMEOUT)
                : ServiceSchemas.byReflection(Target.parse(to).grpcTarget(), REFLECTION_TIMEOUT);
        files.addAll(found.files());
        err.println(
            "ferry trace: schema of "
                + found.services()
                + (found.services() == 1 ? " service" : " services")
                + " asked by reflection ("
                + found.version()
                + ") from "
                + TraceTap.hostPort(upstream));
      } catch (ServiceSchemas.UnavailableException e) {
        err.println(
            "ferry trace: no schema by reflection from "
                + TraceTap.hostPort(upstream)
                + ": "
                + e.getMessage()
                + (schema.protosets.isEmpty() ? "; messages show as raw fields" : ""));
      }
      err.flush();
    }
    return files.isEmpty() ? MessageDecoder.NONE : SchemaMessageDecoder.of(files);
  }

  private static PrintWriter openOutput(Path path) {
    try {
      return new PrintWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8), false);
    } catch (IOException e) {
      throw new UserFacingException("--output: cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().map(t -> t.toLowerCase(Locale.ROOT)).sorted().toList();
  }
}
