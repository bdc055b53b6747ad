package dev.ferry.cli.call.schema;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.GenericDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.ferry.cli.exit.UserFacingException;
import java.io.PrintWriter;

/**
 * Prints what a schema holds, for {@code ferry call}'s {@code list} and {@code describe}: names,
 * proto source, or a JSON template of a request to fill in.
 */
public final class SchemaPrinter {
  private final SchemaSource schema;
  private final PrintWriter out;

  public SchemaPrinter(SchemaSource schema, PrintWriter out) {
    this.schema = schema;
    this.out = out;
  }

  /** {@code list}: every service, or the methods of {@code symbol} (a service) when given. */
  public void list(String symbol) {
    if (symbol == null) {
      schema.listServices().forEach(out::println);
    } else {
      FileDescriptor file = schema.fileContainingSymbol(symbol);
      GenericDescriptor d = Symbols.find(file, symbol).orElse(null);
      if (!(d instanceof ServiceDescriptor service)) {
        throw new UserFacingException(symbol + " is not a service (see: list)");
      }
      service.getMethods().forEach(m -> out.println(m.getFullName()));
    }
    out.flush();
  }

  /**
   * {@code describe}: every service, or {@code symbol} as proto source when given; with {@code
   * template}, a JSON template of that message (or of that method's request) instead.
   */
  public void describe(String symbol, boolean template) {
    if (symbol == null) {
      describeEveryService();
      return;
    }
    FileDescriptor file;
    try {
      file = schema.fileContainingSymbol(symbol);
    } catch (SchemaSource.SchemaException e) {
      throw Symbols.withServiceHint(schema, symbol, e);
    }
    GenericDescriptor d =
        Symbols.find(file, symbol)
            .orElseThrow(() -> new UserFacingException("no symbol " + symbol));
    if (template) {
      Descriptors.Descriptor type =
          d instanceof Descriptors.MethodDescriptor m
              ? m.getInputType()
              : d instanceof Descriptors.Descriptor message ? message : null;
      if (type == null) {
        throw new UserFacingException(
            "--template needs a message or a method, and " + symbol + " is neither");
      }
      out.println(JsonTemplate.of(type));
    } else {
      out.print(ProtoSourcePrinter.describe(d));
    }
    out.flush();
  }

  /** grpcurl's {@code describe} with no symbol: every service the schema lists, in turn. */
  private void describeEveryService() {
    boolean first = true;
    for (String name : schema.listServices()) {
      GenericDescriptor service =
          Symbols.find(schema.fileContainingSymbol(name), name)
              .orElseThrow(() -> new UserFacingException("no service " + name));
      if (!first) {
        out.println();
      }
      first = false;
      out.print(ProtoSourcePrinter.describe(service));
    }
    out.flush();
  }
}
