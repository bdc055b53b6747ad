package dev.ferry.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.AutoComplete;

/**
 * The shell completion scripts of ferry, generated from the picocli model so that they never drift
 * from the commands (a test compares them with the checked-in copies in {@code completions/}).
 */
final class CompletionScripts {
  private CompletionScripts() {}

  /** The bash script: {@code source completions/ferry.bash}. */
  static String bash() {
    StringWriter sink = new StringWriter();
    PrintWriter quiet = new PrintWriter(sink);
    return AutoComplete.bash("ferry", Main.commandLine(quiet, quiet));
  }

  /**
   * The zsh script: picocli's script detects zsh and loads bashcompinit itself, so the zsh file is
   * the same functions behind zsh's {@code #compdef} tag, for {@code fpath} installs.
   */
  static String zsh() {
    return "#compdef ferry\n" + bash().replaceFirst("^#!/usr/bin/env bash\n", "");
  }
}
