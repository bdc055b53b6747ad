package dev.ferry.cli.call.web;

/** The start of a body that was not what the protocol promised, fit for one line of an error. */
final class Snippet {
  private static final int MAX = 120;

  private Snippet() {}

  static String of(String body) {
    String line = body.strip().replaceAll("\\s+", " ");
    return line.length() <= MAX ? line : line.substring(0, MAX) + "…";
  }
}
