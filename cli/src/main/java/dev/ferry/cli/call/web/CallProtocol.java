package dev.ferry.cli.call.web;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import picocli.CommandLine;

/** What a call speaks: gRPC itself, or a browser's protocol for reaching gRPC through a bridge. */
public enum CallProtocol {
  GRPC("grpc"),
  GRPC_WEB("grpc-web"),
  CONNECT("connect");

  private final String flag;

  CallProtocol(String flag) {
    this.flag = flag;
  }

  @Override
  public String toString() {
    return flag;
  }

  /** Reads {@code --protocol}'s value. */
  public static final class Converter implements CommandLine.ITypeConverter<CallProtocol> {
    @Override
    public CallProtocol convert(String value) {
      for (CallProtocol p : values()) {
        if (p.flag.equals(value.toLowerCase(Locale.ROOT))) {
          return p;
        }
      }
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a protocol: grpc, grpc-web or connect");
    }
  }

  /** The values, as {@code --protocol} spells them, for help and shell completion. */
  public static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(values()).map(CallProtocol::toString).iterator();
    }
  }
}
