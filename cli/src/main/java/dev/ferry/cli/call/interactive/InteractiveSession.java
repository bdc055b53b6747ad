package dev.ferry.cli.call.interactive;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.ferry.cli.call.diagnosis.FailureReporter;
import dev.ferry.cli.call.invoke.CallPrinter;
import dev.ferry.cli.call.invoke.CallResult;
import dev.ferry.cli.call.invoke.DynamicCall;
import dev.ferry.cli.call.invoke.JsonObjectSplitter;
import dev.ferry.cli.call.invoke.MessageFormat;
import dev.ferry.cli.call.invoke.RequestHeaders;
import dev.ferry.cli.call.invoke.RequestReader;
import dev.ferry.cli.call.schema.ProtoSourcePrinter;
import dev.ferry.cli.call.schema.SchemaSource;
import dev.ferry.cli.call.schema.Symbols;
import dev.ferry.cli.exit.ExitCodes;
import dev.ferry.proxy.tls.SelfSignedCertificates;
import io.grpc.CallOptions;
import io.grpc.Channel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

/**
 * {@code ferry call ADDR --interactive}: a prompt that lists, describes and calls, with completion,
 * history kept across runs, and metadata set once for the calls that follow (evans' workflow).
 */
public final class InteractiveSession {
  private static final String HELP =
      """
      commands:
        list [SERVICE]              services, or a service's methods
        describe SYMBOL             a service, method, message or enum as proto source
        call SERVICE/METHOD [JSON]  call; without JSON, asks for the request field by field
        header NAME: VALUE          send this metadata with the calls that follow
        header                      show the metadata; 'header clear' forgets it
        help, exit
      Tab completes commands, services, methods and request field names.""";

  private final LineReader reader;
  private final PrintWriter out;
  private final SchemaSource schema;
  private final Channel channel;
  private final Supplier<CallOptions> options;
  private final List<String> headers = new ArrayList<>();
  private final FailureReporter failures;

  /**
   * @param history the file that keeps the history across runs
   * @param options fresh call options for each call (a deadline counts from the call)
   * @param failures explains a failed call as a one-shot call does
   */
  public InteractiveSession(
      Terminal terminal,
      Path history,
      SchemaSource schema,
      Channel channel,
      Supplier<CallOptions> options,
      List<String> initialHeaders,
      FailureReporter failures) {
    DefaultParser parser = new DefaultParser();
    // JSON is typed inline: quotes and backslashes are its own, not the line editor's.
    parser.setQuoteChars(new char[0]);
    parser.setEscapeChars(new char[0]);
    this.reader =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .appName("ferry")
            .parser(parser)
            .completer(new InteractiveCompleter(schema))
            .variable(LineReader.HISTORY_FILE, history)
            .build();
    this.out = terminal.writer();
    this.schema = schema;
    this.channel = channel;
    this.options = options;
    this.headers.addAll(initialHeaders);
    this.failures = failures;
  }

  /** The default history file: $XDG_STATE_HOME/ferry/history if set, else ~/.ferry_history. */
  public static Path defaultHistory(Map<String, String> env) {
    String state = env.get("XDG_STATE_HOME");
    if (state != null && !state.isBlank()) {
      return Path.of(state, "ferry", "history");
    }
    return Path.of(SelfSignedCertificates.home(env), ".ferry_history");
  }

  public int run() throws InterruptedException {
    out.println("ferry call: interactive; 'help' lists the commands, Tab completes.");
    try {
      while (true) {
        String line;
        try {
          line = reader.readLine("ferry> ").trim();
        } catch (UserInterruptException e) {
          continue; // Ctrl-C drops the line being typed, as in a shell
        } catch (EndOfFileException e) {
          return ExitCodes.OK;
        }
        if (line.equals("exit") || line.equals("quit")) {
          return ExitCodes.OK;
        }
        if (!line.isEmpty()) {
          execute(line);
        }
        out.flush();
      }
    } finally {
      try {
        reader.getHistory().save();
      } catch (IOException e) {
        out.println("(history not saved: " + e.getMessage() + ")");
      }
      out.flush();
    }
  }

  private void execute(String line) throws InterruptedException {
    String[] parts = line.split("\\s+", 2);
    String rest = parts.length > 1 ? parts[1].trim() : "";
    try {
      switch (parts[0]) {
        case "help" -> out.println(HELP);
        case "list" -> list(rest);
        case "describe" -> out.print(ProtoSourcePrinter.describe(symbol(rest)));
        case "header" -> header(rest);
        case "call" -> call(rest);
        default -> out.println("unknown command '" + parts[0] + "' (try: help)");
      }
    } catch (SchemaSource.SchemaException
        | IllegalArgumentException
        | JsonObjectSplitter.MalformedInputException e) {
      out.println("error: " + e.getMessage());
    } catch (IOException e) {
      out.println("error: " + e.getMessage());
    }
  }

  private void list(String service) {
    if (service.isEmpty()) {
      schema.listServices().forEach(out::println);
      return;
    }
    if (!(symbol(service) instanceof com.google.protobuf.Descriptors.ServiceDescriptor s)) {
      throw new IllegalArgumentException(service + " is not a service (see: list)");
    }
    s.getMethods().forEach(m -> out.println(m.getFullName()));
  }

  private com.google.protobuf.Descriptors.GenericDescriptor symbol(String name) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("which symbol? (Tab lists them)");
    }
    return Symbols.find(schema.fileContainingSymbol(name), name)
        .orElseThrow(() -> new IllegalArgumentException("no symbol " + name));
  }

  private void header(String text) {
    if (text.isEmpty()) {
      headers.forEach(out::println);
    } else if (text.equals("clear")) {
      headers.clear();
    } else {
      new RequestHeaders(false, System::getenv).parse(List.of(text)); // rejects it now, not later
      headers.add(text);
    }
  }

  private void call(String text) throws IOException, InterruptedException {
    String[] parts = text.split("\\s+", 2);
    if (parts[0].isEmpty()) {
      throw new IllegalArgumentException("call which method? call SERVICE/METHOD [JSON]");
    }
    MethodDescriptor method = Symbols.method(schema, parts[0]);
    RequestReader requests =
        parts.length > 1
            ? RequestReader.forMethod(new StringReader(parts[1]), method)
            : prompted(method);
    CallPrinter printer = new CallPrinter(out, out, false, MessageFormat.JSON, false);
    CallResult result =
        new DynamicCall(channel, printer)
            .run(
                method,
                new RequestHeaders(false, System::getenv).parse(headers),
                options.get(),
                requests);
    if (!result.status().isOk()) {
      failures.lines(result).forEach(out::println);
    }
  }

  /** Asks for the request(s); a client-streaming method takes as many as the user gives. */
  private RequestReader prompted(MethodDescriptor method) {
    FieldPrompter prompter = new FieldPrompter(this::ask, out);
    List<DynamicMessage> messages = new ArrayList<>();
    do {
      messages.add(prompter.prompt(method.getInputType()));
    } while (method.isClientStreaming() && "y".equalsIgnoreCase(ask("another message? (y/N)> ")));
    Iterator<DynamicMessage> it = messages.iterator();
    return () -> it.hasNext() ? it.next() : null;
  }

  private String ask(String prompt) {
    try {
      return reader.readLine(prompt).trim();
    } catch (EndOfFileException | UserInterruptException e) {
      return null;
    }
  }
}
