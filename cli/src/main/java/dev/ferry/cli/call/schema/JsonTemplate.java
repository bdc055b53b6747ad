package dev.ferry.cli.call.schema;

import com.google.protobuf.ByteString;
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
          // A repeated field's default is its empty list; the element is the type's zero.
          b.addRepeatedField(f, zero(f));
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

  private static Object zero(FieldDescriptor f) {
    return switch (f.getJavaType()) {
      case INT -> 0;
      case LONG -> 0L;
      case FLOAT -> 0f;
      case DOUBLE -> 0d;
      case BOOLEAN -> false;
      case STRING -> "";
      case BYTE_STRING -> ByteString.EMPTY;
      case ENUM -> f.getEnumType().getValues().get(0);
      case MESSAGE -> throw new IllegalArgumentException(f.getFullName() + " is a message");
    };
  }
}
