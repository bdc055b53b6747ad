package dev.ferry.cli.importer.nginx;

import dev.ferry.cli.importer.nginx.NginxLexer.Token;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads an nginx configuration into a tree of {@link Directive}s, following {@code include}.
 *
 * <p>A relative include is resolved against the directory of the main file, not of the file that
 * includes it: that is nginx's conf prefix when it runs with {@code -c FILE}. A pattern with glob
 * characters ({@code *}, {@code ?}, {@code [}) takes the matching files in name order and may match
 * none, as nginx's {@code glob(3)} does; a plain name must exist.
 */
final class NginxParser {
  private static final int MAX_INCLUDE_DEPTH = 32;

  private final Path confDir;

  private NginxParser(Path confDir) {
    this.confDir = confDir;
  }

  /** The directives of {@code file} with its includes in place. */
  static List<Directive> parse(Path file) throws NginxSyntaxException, IOException {
    Path dir = file.getParent();
    return new NginxParser(dir).file(file, file.toString(), 0);
  }

  private List<Directive> file(Path file, String shown, int depth)
      throws NginxSyntaxException, IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    NginxLexer lexer = new NginxLexer(shown, text);
    return block(lexer, shown, depth, -1);
  }

  /** The directives up to the {@code }} closing a block opened on {@code openLine}, or EOF. */
  private List<Directive> block(NginxLexer lexer, String file, int depth, int openLine)
      throws NginxSyntaxException, IOException {
    List<Directive> out = new ArrayList<>();
    List<String> words = new ArrayList<>();
    int line = 0;
    while (true) {
      Token t = lexer.next();
      switch (t.kind()) {
        case WORD -> {
          if (words.isEmpty()) {
            line = t.line();
          }
          words.add(t.text());
        }
        case SEMICOLON -> {
          if (words.isEmpty()) {
            throw new NginxSyntaxException(file + ":" + t.line(), "unexpected \";\"");
          }
          Directive d = directive(words, file, line, null);
          if (d.name().equals("include")) {
            out.addAll(include(d, depth));
          } else {
            out.add(d);
          }
          words.clear();
        }
        case OPEN -> {
          if (words.isEmpty()) {
            throw new NginxSyntaxException(file + ":" + t.line(), "unexpected \"{\"");
          }
          List<String> head = List.copyOf(words);
          int headLine = line;
          words.clear();
          List<Directive> inner = block(lexer, file, depth, t.line());
          out.add(directive(head, file, headLine, inner));
        }
        case CLOSE -> {
          if (!words.isEmpty() || openLine < 0) {
            throw new NginxSyntaxException(file + ":" + t.line(), "unexpected \"}\"");
          }
          return out;
        }
        case END -> {
          if (!words.isEmpty()) {
            throw new NginxSyntaxException(
                file + ":" + t.line(),
                "unexpected end of file, expecting \";\" or \"}\" after '" + words.get(0) + "'");
          }
          if (openLine >= 0) {
            throw new NginxSyntaxException(
                file + ":" + t.line(),
                "unexpected end of file, expecting \"}\" (the block opened on line "
                    + openLine
                    + " is not closed)");
          }
          return out;
        }
        default -> throw new IllegalStateException("token " + t.kind());
      }
    }
  }

  private static Directive directive(
      List<String> words, String file, int line, List<Directive> block) {
    return new Directive(
        words.get(0), List.copyOf(words.subList(1, words.size())), file, line, block);
  }

  private List<Directive> include(Directive d, int depth) throws NginxSyntaxException, IOException {
    if (d.args().size() != 1) {
      throw new NginxSyntaxException(
          d.where(), "invalid number of arguments in \"include\": expected one file or pattern");
    }
    if (depth >= MAX_INCLUDE_DEPTH) {
      throw new NginxSyntaxException(
          d.where(), "includes nest more than " + MAX_INCLUDE_DEPTH + " deep: an include loop?");
    }
    String pattern = d.arg(0);
    Path resolved = confDir == null ? Path.of(pattern) : confDir.resolve(pattern);
    List<Directive> out = new ArrayList<>();
    if (!hasGlob(pattern)) {
      try {
        out.addAll(file(resolved, resolved.toString(), depth + 1));
      } catch (NoSuchFileException e) {
        throw new NginxSyntaxException(
            d.where(),
            "include "
                + pattern
                + ": no such file "
                + resolved
                + " (relative includes are read from the main file's directory, as nginx does)");
      }
      return out;
    }
    for (Path p : glob(resolved)) {
      out.addAll(file(p, p.toString(), depth + 1));
    }
    return out;
  }

  private static boolean hasGlob(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
  }

  /** The files matching {@code pattern}, sorted by name as glob(3) returns them. */
  private static List<Path> glob(Path pattern) throws IOException {
    Path base = pattern.isAbsolute() ? pattern.getRoot() : Path.of("");
    int depth = 0;
    boolean globbing = false;
    for (Path part : pattern) {
      if (globbing || hasGlob(part.toString())) {
        globbing = true;
        depth++;
      } else {
        base = base.resolve(part);
      }
    }
    if (!Files.isDirectory(base)) {
      return List.of();
    }
    // The pattern's own text, glob characters and all, as Java's glob syntax reads it: '*' and
    // '?' stay within one path component, as they do for glob(3).
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    try (Stream<Path> found = Files.walk(base, depth)) {
      return found.filter(matcher::matches).filter(Files::isRegularFile).sorted().toList();
    }
  }
}
