package dev.ferry.cli.call.schema;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.util.HashSet;
import java.util.Set;

/**
 * A JSON skeleton of a message, every field present with its zero value, nested messages filled in
 * and lists given one element, so a person can copy it into {@code -d} and edit the values.
 */
public final class JsonTemplate {
  /** Types whose zero value has no JSON form, or is better written by hand. */
  private static final Set<String> LEFT_OUT =
      Set.of("google.protobuf.Any", "google.protobuf.Value");

  private JsonTemplate() {}

  public static String of(Descriptor type) {
    try {
      return JsonFormat.printer()
          .preservingProtoFieldNames()
          .includingDefaultValueFields()
          .print(fill(type, new HashSet<>()));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("template of " + type.getFullName(), e);
    }
  }

  private static DynamicMessage fill(Descriptor type, Set<String> enclosing) {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
    // A message that contains itself (a tree node) is filled once, not forever.
    if (!enclosing.add(type.getFullName())) {
      return b.build();
    }
    for (FieldDescriptor f : type.getFields()) {
      if (f.getRealContainingOneof() != null && f.getRealContainingOneof().getField(0) != f) {
        continue;
      }
      if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        if (f.isRepeated()) {
          b.addRepeatedField(f, f.getDefaultValue());
        }
        continue;
      }
      if (LEFT_OUT.contains(f.getMessageType().getFullName())
          || enclosing.contains(f.getMessageType().getFullName())) {
        continue;
      }
      DynamicMessage value = fill(f.getMessageType(), enclosing);
      if (f.isRepeated()) {
        b.addRepeatedField(f, value);
      } else {
        b.setField(f, value);
      }
    }
    enclosing.remove(type.getFullName());
    return b.build();
  }
}
