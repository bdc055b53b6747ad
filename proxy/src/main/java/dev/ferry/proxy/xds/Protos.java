package dev.ferry.proxy.xds;

import java.time.Duration;

/** Conversions from protobuf's well-known types to Java's. */
final class Protos {
  private Protos() {}

  static Duration duration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }
}
