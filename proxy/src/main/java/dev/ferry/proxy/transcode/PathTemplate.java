package dev.ferry.proxy.transcode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A path template of {@code google.api.http} (google/api/http.proto's grammar): literal segments,
 * {@code *} (one segment), {@code **} (any number, last only), variables {@code {a.b}} or {@code
 * {a.b=segments/*}} bound to a field path, and a {@code :verb} suffix. {@link #match} tells whether
 * a request path fits it and what each variable captured.
 *
 * <pre>
 * Template = "/" Segments [ Verb ] ;   Segments = Segment { "/" Segment } ;
 * Segment  = "*" | "**" | LITERAL | Variable ;   Variable = "{" FieldPath [ "=" Segments ] "}" ;
 * </pre>
 */
final class PathTemplate {
  /** One segment of the template: a literal, or a wildcard of one ({@code *}) or many. */
  private record Segment(String literal, boolean deep) {
    boolean wild() {
      return literal == null;
    }
  }

  /** A variable: its field path and the segments [start, end) it covers. */
  private record Variable(String fieldPath, int start, int end) {}

  private final String text;
  private final List<Segment> segments;
  private final List<Variable> variables;
  private final String verb; // null for none
  private final int literals;

  private PathTemplate(String text, List<Segment> segments, List<Variable> variables, String verb) {
    this.text = text;
    this.segments = segments;
    this.variables = variables;
    this.verb = verb;
    this.literals = (int) segments.stream().filter(s -> !s.wild()).count();
  }

  /**
   * Parses {@code template}.
   *
   * @throws IllegalArgumentException naming what is wrong and where
   */
  static PathTemplate parse(String template) {
    return new Parser(template).parse();
  }

  /** The number of literal segments: among templates that match a path, the most specific wins. */
  int literals() {
    return literals;
  }

  /** The field paths its variables bind, in template order. */
  List<String> fieldPaths() {
    return variables.stream().map(Variable::fieldPath).toList();
  }

  @Override
  public String toString() {
    return text;
  }

  /**
   * What the variables captured when {@code path} (without its query) fits this template, by field
   * path in template order; else null. A variable of one segment is percent-decoded whole; one of
   * several keeps {@code %2F} so that its slashes stay distinct (as grpc-gateway does).
   */
  Map<String, String> match(String path) {
    if (!path.startsWith("/")) {
      return null;
    }
    String p = path.substring(1);
    if (verb != null) {
      String suffix = ":" + verb;
      if (!p.endsWith(suffix) || p.lastIndexOf('/') > p.length() - suffix.length()) {
        return null;
      }
      p = p.substring(0, p.length() - suffix.length());
    }
    String[] parts = p.split("/", -1);
    int n = segments.size();
    boolean deepLast = n > 0 && segments.get(n - 1).deep();
    if (deepLast ? parts.length < n - 1 : parts.length != n) {
      return null;
    }
    for (int i = 0; i < n && i < parts.length; i++) {
      Segment s = segments.get(i);
      if (s.deep()) {
        break;
      }
      if (s.wild() ? parts[i].isEmpty() : !s.literal().equals(parts[i])) {
        return null;
      }
    }
    if (verb == null && !deepLast && parts[parts.length - 1].contains(":")) {
      // The last segment carries a verb this template has not: "/v1/a:cancel" is not "/v1/{id}".
      return null;
    }
    Map<String, String> captured = new LinkedHashMap<>();
    for (Variable v : variables) {
      int end = segments.get(v.end() - 1).deep() ? parts.length : v.end();
      StringBuilder value = new StringBuilder();
      for (int i = v.start(); i < end; i++) {
        if (i > v.start()) {
          value.append('/');
        }
        value.append(decode(parts[i], end - v.start() > 1 || segments.get(v.start()).deep()));
      }
      captured.put(v.fieldPath(), value.toString());
    }
    return captured;
  }

  /**
   * Percent-decodes {@code s} as UTF-8, keeping {@code %2F} when {@code keepSlash}; a {@code %} not
   * followed by two hex digits stays as it is.
   */
  static String decode(String s, boolean keepSlash) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
    for (int i = 0; i < in.length; i++) {
      int hi = i + 2 < in.length && in[i] == '%' ? Character.digit(in[i + 1], 16) : -1;
      int lo = hi < 0 ? -1 : Character.digit(in[i + 2], 16);
      int b = hi * 16 + lo;
      if (lo < 0 || (keepSlash && b == '/')) {
        out.write(in[i]);
      } else {
        out.write(b);
        i += 2;
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** A recursive-descent parser of the grammar above. */
  private static final class Parser {
    private final String text;
    private final List<Segment> segments = new ArrayList<>();
    private final List<Variable> variables = new ArrayList<>();
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    PathTemplate parse() {
      if (!text.startsWith("/")) {
        throw error("a template starts with /");
      }
      pos = 1;
      segments(false);
      String verb = null;
      if (pos < text.length() && text.charAt(pos) == ':') {
        pos++;
        verb = literal();
      }
      if (pos != text.length()) {
        throw error("unexpected '" + text.charAt(pos) + "'");
      }
      for (int i = 0; i < segments.size() - 1; i++) {
        if (segments.get(i).deep()) {
          throw error("** may only be the last segment");
        }
      }
      return new PathTemplate(text, List.copyOf(segments), List.copyOf(variables), verb);
    }

    private void segments(boolean inVariable) {
      segment(inVariable);
      while (pos < text.length() && text.charAt(pos) == '/') {
        pos++;
        segment(inVariable);
      }
    }

    private void segment(boolean inVariable) {
      if (text.startsWith("**", pos)) {
        pos += 2;
        segments.add(new Segment(null, true));
      } else if (text.startsWith("*", pos)) {
        pos++;
        segments.add(new Segment(null, false));
      } else if (text.startsWith("{", pos)) {
        if (inVariable) {
          throw error("a variable inside a variable");
        }
        variable();
      } else {
        segments.add(new Segment(literal(), false));
      }
    }

    private void variable() {
      pos++; // {
      int start = pos;
      while (pos < text.length() && "=}".indexOf(text.charAt(pos)) < 0) {
        pos++;
      }
      String fieldPath = text.substring(start, pos);
      if (!fieldPath.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
        throw error("'" + fieldPath + "' is not a field path (expected: a.b.c)");
      }
      for (Variable v : variables) {
        if (v.fieldPath().equals(fieldPath)) {
          throw error("field " + fieldPath + " is bound twice");
        }
      }
      int first = segments.size();
      if (pos < text.length() && text.charAt(pos) == '=') {
        pos++;
        segments(true);
      } else {
        segments.add(new Segment(null, false));
      }
      if (pos >= text.length() || text.charAt(pos) != '}') {
        throw error("a variable not closed with }");
      }
      pos++;
      variables.add(new Variable(fieldPath, first, segments.size()));
    }

    private String literal() {
      int start = pos;
      while (pos < text.length() && "/{}*:=".indexOf(text.charAt(pos)) < 0) {
        pos++;
      }
      if (pos == start) {
        throw error("an empty segment");
      }
      return text.substring(start, pos);
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException(
          "path template " + text + ": " + what + " (at offset " + pos + ")");
    }
  }
}
