package dev.ferry.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * {@code ferry --help}: the root's usage exactly as picocli renders it, rendered when ferry was
 * built (resources beside this class, kept fresh by RootHelpTest as the completion scripts are).
 * Building the root's model at every start was most of {@code --help}'s time, for a text that only
 * changes with the code.
 */
final class RootHelp {
  private RootHelp() {}

  /** Whether {@code args} ask for the root's usage and nothing else. */
  static boolean asked(String[] args) {
    return args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"));
  }

  /**
   * Writes the usage, in colour where picocli would use it; false when the text is not in the jar
   * (a build that skipped its resources), and the caller then renders it.
   */
  static boolean print(PrintStream out) {
    try (InputStream text = RootHelp.class.getResourceAsStream(resource(Ansi.AUTO.enabled()))) {
      if (text == null) {
        return false;
      }
      out.write(text.readAllBytes());
      out.flush();
      return true;
    } catch (IOException e) {
      return false; // picocli renders it instead
    }
  }

  /** The resource of the usage with or without colour. */
  static String resource(boolean ansi) {
    return ansi ? "root-help.ansi.txt" : "root-help.txt";
  }

  /** The usage as picocli renders it now: what the resources hold. */
  static String render(boolean ansi) {
    StringWriter text = new StringWriter();
    CommandLine cl =
        Main.summaryTree(new PrintWriter(text, true), new PrintWriter(new StringWriter()));
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(ansi ? Ansi.ON : Ansi.OFF));
    cl.execute("--help");
    return text.toString();
  }
}
