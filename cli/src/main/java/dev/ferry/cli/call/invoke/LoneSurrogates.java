package dev.ferry.cli.call.invoke;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.List;
import java.util.Map;

/**
 * Finds a string field holding half of a UTF-16 surrogate pair, which JSON's {@code "\ud800"} can
 * spell but UTF-8 cannot: protobuf would log a warning and send a {@code ?} in its place.
 */
final class LoneSurrogates {
  private LoneSurrogates() {}

  /** The path of the first such field ({@code name}, {@code items[2].label}), or null. */
  static String find(Message message) {
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      FieldDescriptor f = field.getKey();
      if (f.isRepeated()) {
        List<?> values = (List<?>) field.getValue();
        for (int i = 0; i < values.size(); i++) {
          String found = find(values.get(i), f.getJsonName() + "[" + i + "]");
          if (found != null) {
            return found;
          }
        }
      } else {
        String found = find(field.getValue(), f.getJsonName());
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static String find(Object value, String path) {
    if (value instanceof String s) {
      return hasLoneSurrogate(s) ? path : null;
    }
    if (value instanceof Message m) {
      String inner = find(m);
      return inner == null ? null : path + "." + inner;
    }
    return null;
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }
}
