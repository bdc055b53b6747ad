package dev.ferry.cli.call.schema;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.GenericDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.Locale;

/**
 * Prints a service, method, message or enum as the proto source that would define it, which is how
 * people read a schema (what {@code describe} shows).
 */
public final class ProtoSourcePrinter {
  private final StringBuilder out = new StringBuilder();

  private ProtoSourcePrinter() {}

  /** The definition of {@code d}, preceded by a line saying what kind of symbol it is. */
  public static String describe(GenericDescriptor d) {
    ProtoSourcePrinter p = new ProtoSourcePrinter();
    String kind;
    if (d instanceof ServiceDescriptor s) {
      kind = "a service";
      p.service(s);
    } else if (d instanceof MethodDescriptor m) {
      kind = "a method";
      p.line(0, rpc(m));
    } else if (d instanceof Descriptor m) {
      kind = "a message";
      p.message(m, 0);
    } else if (d instanceof EnumDescriptor e) {
      kind = "an enum";
      p.enumeration(e, 0);
    } else {
      kind = "a symbol";
      p.line(0, d.toProto().toString());
    }
    return d.getFullName() + " is " + kind + " (in " + d.getFile().getName() + "):\n" + p.out;
  }

  private void service(ServiceDescriptor s) {
    line(0, "service " + s.getName() + " {");
    for (MethodDescriptor m : s.getMethods()) {
      line(1, rpc(m));
    }
    line(0, "}");
  }

  private static String rpc(MethodDescriptor m) {
    return "rpc "
        + m.getName()
        + " ("
        + (m.isClientStreaming() ? "stream " : "")
        + m.getInputType().getFullName()
        + ") returns ("
        + (m.isServerStreaming() ? "stream " : "")
        + m.getOutputType().getFullName()
        + ");";
  }

  private void message(Descriptor m, int depth) {
    line(depth, "message " + m.getName() + " {");
    for (FieldDescriptor f : m.getFields()) {
      OneofDescriptor oneof = f.getRealContainingOneof();
      if (oneof == null) {
        line(depth + 1, field(f));
      } else if (oneof.getField(0) == f) {
        line(depth + 1, "oneof " + oneof.getName() + " {");
        for (FieldDescriptor member : oneof.getFields()) {
          line(depth + 2, field(member));
        }
        line(depth + 1, "}");
      }
    }
    for (Descriptor nested : m.getNestedTypes()) {
      if (!nested.getOptions().getMapEntry()) {
        message(nested, depth + 1);
      }
    }
    for (EnumDescriptor e : m.getEnumTypes()) {
      enumeration(e, depth + 1);
    }
    line(depth, "}");
  }

  private static String field(FieldDescriptor f) {
    String label = "";
    if (f.isMapField()) {
      Descriptor entry = f.getMessageType();
      return "map<"
          + type(entry.findFieldByNumber(1))
          + ", "
          + type(entry.findFieldByNumber(2))
          + "> "
          + f.getName()
          + " = "
          + f.getNumber()
          + ";";
    } else if (f.isRepeated()) {
      label = "repeated ";
    } else if (f.hasOptionalKeyword()) {
      label = "optional ";
    } else if (f.isRequired()) {
      label = "required ";
    }
    return label + type(f) + " " + f.getName() + " = " + f.getNumber() + ";";
  }

  private static String type(FieldDescriptor f) {
    return switch (f.getType()) {
      case MESSAGE, GROUP -> f.getMessageType().getFullName();
      case ENUM -> f.getEnumType().getFullName();
      default -> f.getType().name().toLowerCase(Locale.ROOT);
    };
  }

  private void enumeration(EnumDescriptor e, int depth) {
    line(depth, "enum " + e.getName() + " {");
    for (EnumValueDescriptor v : e.getValues()) {
      line(depth + 1, v.getName() + " = " + v.getNumber() + ";");
    }
    line(depth, "}");
  }

  private void line(int depth, String text) {
    out.append("  ".repeat(depth)).append(text).append('\n');
  }
}
