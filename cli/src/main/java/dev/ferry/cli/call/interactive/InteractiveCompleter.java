package dev.ferry.cli.call.interactive;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.ferry.cli.call.schema.SchemaSource;
import dev.ferry.cli.call.schema.Symbols;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion for the interactive mode: the commands, then services and {@code Service/Method}
 * names, then the request's field names as JSON keys after {@code call Service/Method}.
 */
final class InteractiveCompleter implements Completer {
  static final List<String> COMMANDS =
      List.of("call", "list", "describe", "header", "help", "exit");

  private final SchemaSource schema;

  InteractiveCompleter(SchemaSource schema) {
    this.schema = schema;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    List<String> words = line.words();
    int index = line.wordIndex();
    if (index == 0) {
      COMMANDS.forEach(c -> candidates.add(new Candidate(c)));
      return;
    }
    String command = words.get(0);
    try {
      if (index == 1 && (command.equals("list") || command.equals("describe"))) {
        schema.listServices().forEach(s -> candidates.add(new Candidate(s)));
      }
      if (index == 1 && (command.equals("call") || command.equals("describe"))) {
        for (String service : schema.listServices()) {
          methods(service).forEach(m -> candidates.add(new Candidate(service + "/" + m.getName())));
        }
      }
      if (index >= 2 && command.equals("call")) {
        fieldNames(words.get(1), line.word(), candidates);
      }
    } catch (SchemaSource.SchemaException e) {
      // Nothing to offer: completion must never interrupt typing with an error.
    }
  }

  private List<MethodDescriptor> methods(String service) {
    return Symbols.find(schema.fileContainingSymbol(service), service)
        .filter(ServiceDescriptor.class::isInstance)
        .map(d -> ((ServiceDescriptor) d).getMethods())
        .orElse(List.of());
  }

  /** The request's fields as {@code "name":}, after any {@code {} or {@code ,} being typed. */
  private void fieldNames(String method, String word, List<Candidate> candidates) {
    MethodDescriptor md = Symbols.method(schema, method);
    int start = 0;
    while (start < word.length() && (word.charAt(start) == '{' || word.charAt(start) == ',')) {
      start++;
    }
    String prefix = word.substring(0, start);
    for (FieldDescriptor field : md.getInputType().getFields()) {
      candidates.add(
          new Candidate(
              prefix + "\"" + field.getJsonName() + "\":",
              field.getName(),
              null,
              field.getType().name().substring("TYPE_".length()).toLowerCase(java.util.Locale.ROOT),
              null,
              null,
              false));
    }
  }
}
