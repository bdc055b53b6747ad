package dev.ferry.cli.call.invoke;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;

/** Yields the request messages of a call, one at a time, null at the end. */
@FunctionalInterface
public interface RequestReader {
  DynamicMessage next() throws IOException;

  /**
   * Requests parsed from JSON objects in {@code input}, each yielded as soon as its text is
   * complete: a streaming call sends it before the rest of the input exists.
   */
  static RequestReader json(Reader input, Descriptor type) {
    JsonObjectSplitter splitter = new JsonObjectSplitter(input);
    JsonFormat.Parser parser = JsonFormat.parser();
    int[] count = {0};
    return () -> {
      String json = splitter.next();
      if (json == null) {
        return null;
      }
      count[0]++;
      DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
      try {
        parser.merge(json, builder);
      } catch (InvalidProtocolBufferException e) {
        throw new JsonObjectSplitter.MalformedInputException(
            "request message "
                + count[0]
                + " is not a "
                + type.getFullName()
                + ": "
                + e.getMessage());
      }
      DynamicMessage message = builder.build();
      String lone = LoneSurrogates.find(message);
      if (lone != null) {
        throw new JsonObjectSplitter.MalformedInputException(
            "request message "
                + count[0]
                + ": "
                + lone
                + " holds a lone surrogate (a \\uD800-\\uDFFF escape without its pair), which"
                + " is not Unicode text and has no UTF-8 form for a protobuf string");
      }
      return message;
    };
  }

  /**
   * The requests of a call of {@code method} read from {@code input}, or, without input (no {@code
   * -d}), the empty request for a method that takes one and none for a streaming one. A method that
   * takes one request gets exactly one.
   */
  static RequestReader forMethod(
      Reader input, com.google.protobuf.Descriptors.MethodDescriptor method) {
    Descriptor type = method.getInputType();
    if (method.isClientStreaming()) {
      return input == null ? () -> null : json(input, type);
    }
    return exactlyOne(input == null ? empty(type) : json(input, type), type);
  }

  /** The empty request that a unary call without {@code -d} sends. */
  static RequestReader empty(Descriptor type) {
    return json(new StringReader("{}"), type);
  }

  /** The single request of a unary call: none, or more than one, is an error naming it. */
  static RequestReader exactlyOne(RequestReader source, Descriptor type) {
    boolean[] given = {false};
    return () -> {
      if (given[0]) {
        return null;
      }
      given[0] = true;
      DynamicMessage first = source.next();
      if (first == null) {
        throw new JsonObjectSplitter.MalformedInputException(
            "no request message in the input (expected a "
                + type.getFullName()
                + " as JSON, like {})");
      }
      if (source.next() != null) {
        throw new JsonObjectSplitter.MalformedInputException(
            "this method takes one request message, but the input holds more");
      }
      return first;
    };
  }
}
