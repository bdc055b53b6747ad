package dev.ferry.dist;

import dev.ferry.cli.Main;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes the AsciiDoc sources of ferry's man pages (ferry(1), ferry-serve(1), ...) from the same
 * command tree that parses the arguments, so that a page never tells of an option the command has
 * not; the build then turns them into roff with Asciidoctor's manpage backend. Public for
 * exec-maven-plugin, which looks the main method up from outside the package.
 */
public final class ManPageSources {
  private ManPageSources() {}

  /** Writes one {@code .adoc} per command into the directory {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: ManPageSources OUTPUT_DIRECTORY");
    }
    File directory = new File(args[0]);
    PrintWriter quiet = new PrintWriter(new StringWriter());
    // The whole tree, as `ferry --help` builds it: the subcommands are added by Main, not declared
    // on the root command, so picocli-codegen's own command line (which takes class names) would
    // see the root alone.
    CommandSpec ferry = Main.commandLine(quiet, quiet).getCommandSpec();
    headFooters(ferry);
    int exit = ManPageGenerator.generateManPage(directory, null, new boolean[0], true, ferry);
    if (exit != 0) {
      throw new IllegalStateException("picocli's ManPageGenerator exited " + exit);
    }
    for (Path page : pages(directory.toPath())) {
      joinWrappedLines(page);
    }
  }

  /**
   * Gives each footer a heading, without which the generator leaves it out of the page: ferry's
   * footers open with a blank line and, mostly, an "Examples:" line, which becomes the heading.
   */
  private static void headFooters(CommandSpec command) {
    UsageMessageSpec usage = command.usageMessage();
    List<String> footer = new ArrayList<>(Arrays.asList(usage.footer()));
    while (!footer.isEmpty() && footer.get(0).isBlank()) {
      footer.remove(0);
    }
    if (!footer.isEmpty() && usage.footerHeading().isEmpty()) {
      if (footer.get(0).endsWith(":")) {
        String title = footer.remove(0);
        usage.footerHeading(title.substring(0, title.length() - 1));
      } else {
        usage.footerHeading("Notes");
      }
      usage.footer(footer.toArray(new String[0]));
    }
    for (CommandLine sub : command.subcommands().values()) {
      headFooters(sub.getCommandSpec());
    }
  }

  private static List<Path> pages(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.toString().endsWith(".adoc")).collect(Collectors.toList());
    }
  }

  /**
   * Joins the lines of a description that ferry wraps by hand for {@code --help} (a description
   * given as several strings): the generator makes each string a paragraph of its own, which cut
   * sentences in two on the page, where man wraps the text to the terminal anyway.
   */
  private static void joinWrappedLines(Path page) throws IOException {
    String text = Files.readString(page, StandardCharsets.UTF_8);
    Files.writeString(page, text.replace("\n+\n", " "), StandardCharsets.UTF_8);
  }
}
