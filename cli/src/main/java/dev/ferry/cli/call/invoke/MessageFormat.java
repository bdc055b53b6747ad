package dev.ferry.cli.call.invoke;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import com.google.protobuf.util.JsonFormat;

/** How response messages are written: protobuf JSON (the default) or protobuf text format. */
public enum MessageFormat {
  JSON,
  TEXT;

  /** {@code message} in this format; {@code emitDefaults} prints fields left at zero too. */
  public String print(Message message, boolean emitDefaults) {
    if (this == TEXT) {
      return TextFormat.printer().printToString(message).stripTrailing();
    }
    // Field names as the .proto spells them (served_by, not servedBy), as grpcurl prints them;
    // requests are read in either spelling.
    JsonFormat.Printer printer = JsonFormat.printer().preservingProtoFieldNames();
    if (emitDefaults) {
      printer = printer.includingDefaultValueFields();
    }
    try {
      return printer.print(message);
    } catch (InvalidProtocolBufferException e) {
      // Only an Any whose type the schema lacks gets here: text format still shows it.
      return TextFormat.printer().printToString(message).stripTrailing();
    }
  }
}
