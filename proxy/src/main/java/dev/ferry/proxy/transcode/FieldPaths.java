package dev.ferry.proxy.transcode;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * Field paths ({@code a.b.c}) of a request message, as path variables and query parameters name
 * them: each part a field's proto name or its JSON name, every part but the last a singular
 * message.
 */
final class FieldPaths {
  private FieldPaths() {}

  /**
   * The fields {@code path} goes through in {@code message}, the last one the one it names.
   *
   * @throws IllegalArgumentException naming the part that is not there, or not a message
   */
  static List<FieldDescriptor> resolve(Descriptor message, String path) {
    List<FieldDescriptor> out = new ArrayList<>();
    Descriptor in = message;
    for (String part : path.split("\\.", -1)) {
      if (in == null) {
        FieldDescriptor last = out.get(out.size() - 1);
        throw new IllegalArgumentException(
            last.getFullName() + " is not a message, so it has no field " + part);
      }
      FieldDescriptor f = field(in, part);
      if (f == null) {
        throw new IllegalArgumentException(in.getFullName() + " has no field " + part);
      }
      out.add(f);
      in =
          f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isRepeated()
              ? f.getMessageType()
              : null;
    }
    return out;
  }

  /**
   * The field {@code name} of {@code message}, for the rule's {@code what}.
   *
   * @throws IllegalArgumentException when {@code message} has none
   */
  static FieldDescriptor topLevel(Descriptor message, String name, String what) {
    FieldDescriptor f = field(message, name);
    if (f == null) {
      throw new IllegalArgumentException(
          what + ": " + message.getFullName() + " has no field " + name);
    }
    return f;
  }

  private static FieldDescriptor field(Descriptor message, String name) {
    FieldDescriptor f = message.findFieldByName(name);
    if (f != null) {
      return f;
    }
    for (FieldDescriptor each : message.getFields()) {
      if (each.getJsonName().equals(name)) {
        return each;
      }
    }
    return null;
  }
}
