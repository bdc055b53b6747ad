package dev.ferry.cli.call.script;

import com.google.gson.Gson;
import dev.ferry.cli.call.expect.Expectations;
import dev.ferry.proxy.config.Durations;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * A smoke test as data ({@code ferry call --script smoke.yaml}): the targets, and the calls to make
 * against each with what they must answer.
 *
 * <pre>
 * targets: [127.0.0.1:50051]
 * calls:
 *   - name: greeter says hello
 *     method: helloworld.Greeter/SayHello
 *     data: {name: ferry}
 *     expect: {message: "Hello, ferry!"}
 *   - name: injected failure is reported
 *     method: helloworld.Greeter/SayHello
 *     headers: {x-fail-status: "14"}
 *     expect_status: UNAVAILABLE
 * </pre>
 */
record SmokeScript(Path file, List<String> targets, List<Case> calls) {

  /** One call of the script and what it must answer. */
  record Case(
      String name,
      String method,
      String data,
      List<String> headers,
      Duration deadline,
      String expectStatus,
      String expect) {}

  private static final Set<String> TOP_KEYS = Set.of("targets", "calls");
  private static final Set<String> CALL_KEYS =
      Set.of("name", "method", "data", "headers", "deadline", "expect_status", "expect");

  /** Reads {@code file}; every mistake is an IllegalArgumentException naming file and key. */
  static SmokeScript load(Path file) throws IOException {
    Object root;
    try {
      root = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--script " + file + ": no such file");
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "--script " + file + ": not UTF-8 text (a script is YAML, in UTF-8)");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--script "
              + file
              + ": cannot read it"
              + (Files.isDirectory(file) ? ": it is a directory" : ": " + e.getMessage()));
    } catch (YamlEngineException e) {
      // snakeyaml's message spans lines (a marker under the bad character): one line here.
      throw new IllegalArgumentException(
          file + ": not YAML: " + e.getMessage().strip().replaceAll("\\s*\\n\\s*", " "));
    }
    Map<String, Object> top = map(root, file + "", TOP_KEYS);
    List<String> targets = new ArrayList<>();
    for (Object t : list(top.get("targets"), file + ": targets")) {
      targets.add(String.valueOf(t));
    }
    List<Case> calls = new ArrayList<>();
    List<Object> entries = list(top.get("calls"), file + ": calls");
    if (entries.isEmpty()) {
      throw new IllegalArgumentException(file + ": calls: none given (expected: a list of calls)");
    }
    for (int i = 0; i < entries.size(); i++) {
      calls.add(call(entries.get(i), file + ": calls[" + i + "]"));
    }
    return new SmokeScript(file, targets, calls);
  }

  private static Case call(Object entry, String where) {
    Map<String, Object> m = map(entry, where, CALL_KEYS);
    Object method = m.get("method");
    if (method == null) {
      throw new IllegalArgumentException(
          where + ".method: missing (like helloworld.Greeter/SayHello)");
    }
    Object data = m.get("data");
    String json = data == null ? null : data instanceof String s ? s : new Gson().toJson(data);
    List<String> headers = new ArrayList<>();
    for (Map.Entry<String, Object> h :
        map(m.getOrDefault("headers", Map.of()), where + ".headers", null).entrySet()) {
      headers.add(h.getKey() + ": " + h.getValue());
    }
    Duration deadline = null;
    if (m.get("deadline") != null) {
      try {
        deadline = Durations.parse(String.valueOf(m.get("deadline")));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(where + ".deadline: " + e.getMessage());
      }
    }
    String expectStatus =
        m.get("expect_status") == null ? "OK" : String.valueOf(m.get("expect_status"));
    try {
      Expectations.parseStatus(expectStatus);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ".expect_status: " + e.getMessage());
    }
    Object expect = m.get("expect");
    String expectJson =
        expect == null ? null : expect instanceof String s ? s : new Gson().toJson(expect);
    if (expectJson != null) {
      Expectations.checkExpected(where + ".expect:", expectJson);
    }
    String name = m.get("name") == null ? String.valueOf(method) : String.valueOf(m.get("name"));
    return new Case(
        name, String.valueOf(method), json, headers, deadline, expectStatus, expectJson);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value, String where, Set<String> allowed) {
    if (!(value instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(where + ": expected a mapping");
    }
    Map<String, Object> result = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (allowed != null && !allowed.contains(key)) {
        throw new IllegalArgumentException(
            where
                + "."
                + key
                + ": unknown key (expected one of: "
                + String.join(", ", allowed.stream().sorted().toList())
                + ")");
      }
      result.put(key, e.getValue());
    }
    return result;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value, String where) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> l)) {
      throw new IllegalArgumentException(where + ": expected a list");
    }
    return (List<Object>) l;
  }
}
