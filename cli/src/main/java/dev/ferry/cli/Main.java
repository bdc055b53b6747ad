package dev.ferry.cli;

import dev.ferry.cli.exit.ExitCodes;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Entry point of the ferry command: builds the command tree and maps its outcome to an exit code.
 */
public final class Main {
  /**
   * The subcommands in the order {@code ferry --help} lists them, each made from what {@code -d @-}
   * reads only when asked for.
   */
  private static final Map<String, Subcommand> SUBCOMMANDS = subcommands();

  /** The arguments that show the root's usage or version and run no subcommand. */
  private static final Set<String> ROOT_ONLY = Set.of("-h", "--help", "-V", "--version");

  /** A subcommand's class, and how to make it from what {@code -d @-} reads. */
  private record Subcommand(Class<?> type, Function<InputStream, Object> make) {}

  private Main() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    // A thread ferry started that dies (a reader of stdin, a library's worker) says so in one line.
    Thread.setDefaultUncaughtExceptionHandler(new UncaughtReport(err));
    int code;
    try {
      if (RootHelp.asked(args) && RootHelp.print(System.out)) {
        System.exit(ExitCodes.OK);
      }
      code = commandLineFor(args, System.in, out, err).execute(args);
    } catch (RuntimeException | Error e) {
      // picocli hands only Exceptions to FailureHandler; an Error (out of memory) ends up here.
      err.println("ferry: " + FailureHandler.unexpected(e));
      code = ExitCodes.FAILURE;
    }
    System.exit(code);
  }

  /** The whole command tree writing to {@code out} and {@code err}, so tests can capture both. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(System.in, out, err);
  }

  /** As {@link #commandLine(PrintWriter, PrintWriter)}, with {@code in} as what `-d @-` reads. */
  public static CommandLine commandLine(InputStream in, PrintWriter out, PrintWriter err) {
    return build(SUBCOMMANDS.keySet(), in, out, err);
  }

  /**
   * The tree that {@code args} need: when they start with a subcommand's name, the root and that
   * subcommand alone, since picocli reads every option of every command it is given by reflection
   * and the whole tree cost a one-shot {@code ferry call} a tenth of its CPU time. No arguments,
   * {@code --help} or {@code --version} alone get the {@link #summaryTree}; anything else (a
   * misspelt name that needs suggestions) gets the whole tree.
   */
  static CommandLine commandLineFor(
      String[] args, InputStream in, PrintWriter out, PrintWriter err) {
    if (args.length > 0 && SUBCOMMANDS.containsKey(args[0])) {
      return build(List.of(args[0]), in, out, err);
    }
    if (args.length == 0 || (args.length == 1 && ROOT_ONLY.contains(args[0]))) {
      return summaryTree(out, err);
    }
    return commandLine(in, out, err);
  }

  /**
   * The root with each subcommand as its name and description alone, all that the root's usage
   * lists of them: building the subcommands' options by reflection was a third of {@code ferry
   * --help}'s CPU time. No {@link LogRouting}: the usage and the version log nothing, and starting
   * java.util.logging (and Netty's logger factory) was a tenth of the rest.
   */
  static CommandLine summaryTree(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new FerryCommand());
    SUBCOMMANDS.forEach(
        (name, subcommand) -> {
          Command command = subcommand.type().getAnnotation(Command.class);
          CommandSpec spec = CommandSpec.create().name(name);
          spec.usageMessage()
              .header(command.header())
              .description(command.description())
              .hidden(command.hidden());
          cl.addSubcommand(name, spec);
        });
    return configure(cl, out, err);
  }

  private static CommandLine build(
      Iterable<String> names, InputStream in, PrintWriter out, PrintWriter err) {
    LogRouting.install();
    CommandLine cl = new CommandLine(new FerryCommand());
    for (String name : names) {
      cl.addSubcommand(name, SUBCOMMANDS.get(name).make().apply(in));
    }
    return configure(cl, out, err);
  }

  private static CommandLine configure(CommandLine cl, PrintWriter out, PrintWriter err) {
    // Set after the subcommands were added: picocli passes these settings down to them.
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // `-d @file` and `-d @-` are grpcurl's; picocli would otherwise read @file as an argument file.
    cl.setExpandAtFiles(false);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(new FailureHandler());
    cl.setParameterExceptionHandler(new UsageErrorHandler());
    cl.setExitCodeExceptionMapper(new ExitCodeMapper());
    return cl;
  }

  // Named classes, not lambdas: the class-data sharing archive that ./ferry maps held neither
  // lambda (the training run never calls main(), and the JVM archives no lambda for an interface
  // of picocli's, whose classes are of Java 5's format), so every start spun both afresh; named,
  // ferry --help took 4% less wall time (medians of 2 x 40 paired runs).

  /** Reports a thread that died on an exception as one line on {@code err}. */
  private record UncaughtReport(PrintWriter err) implements Thread.UncaughtExceptionHandler {
    @Override
    public void uncaughtException(Thread thread, Throwable e) {
      err.println("ferry: " + FailureHandler.unexpected(e));
    }
  }

  /** The exit code of a command that failed on an exception: see {@link ExitCodes}. */
  private static final class ExitCodeMapper implements CommandLine.IExitCodeExceptionMapper {
    @Override
    public int getExitCode(Throwable exception) {
      return ExitCodes.forException(exception);
    }
  }

  private static Map<String, Subcommand> subcommands() {
    Map<String, Subcommand> all = new LinkedHashMap<>();
    all.put("serve", new Subcommand(ServeCommand.class, in -> new ServeCommand()));
    all.put("greeter", new Subcommand(GreeterCommand.class, in -> new GreeterCommand()));
    all.put("daininki", new Subcommand(DaininkiCommand.class, in -> new DaininkiCommand()));
    all.put("call", new Subcommand(CallCommand.class, CallCommand::new));
    all.put("trace", new Subcommand(TraceCommand.class, in -> new TraceCommand()));
    all.put("demo", new Subcommand(DemoCommand.class, in -> new DemoCommand()));
    all.put("import", new Subcommand(ImportCommand.class, in -> new ImportCommand()));
    all.put(
        "generate-completion",
        new Subcommand(
            AutoComplete.GenerateCompletion.class, in -> new AutoComplete.GenerateCompletion()));
    return Collections.unmodifiableMap(all);
  }
}
