package dev.ferry.proxy.connect;

import io.netty.util.AsciiString;

/** The two codecs of Connect: each has a unary and a streaming content type. */
enum ConnectCodec {
  JSON,
  PROTO;

  private final String name = name().toLowerCase(java.util.Locale.ROOT);
  private final AsciiString unaryType = AsciiString.cached("application/" + name);
  private final AsciiString streamType = AsciiString.cached("application/connect+" + name);

  /** {@code json} or {@code proto}: as in a content type and in a GET's {@code encoding}. */
  String wireName() {
    return name;
  }

  AsciiString contentType(boolean streaming) {
    return streaming ? streamType : unaryType;
  }

  /** The codec named {@code name} ({@code json}, {@code proto}), or {@code null}. */
  static ConnectCodec named(CharSequence name) {
    for (ConnectCodec c : values()) {
      if (AsciiString.contentEqualsIgnoreCase(c.name, name)) {
        return c;
      }
    }
    return null;
  }
}
