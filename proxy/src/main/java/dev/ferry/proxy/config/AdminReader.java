package dev.ferry.proxy.config;

/** Reads {@code admin:}; where it is left out, there is no admin listener. */
final class AdminReader {
  private AdminReader() {}

  /** The admin listener, or {@code null} after reporting. */
  static AdminConfig read(YamlValue v) {
    YamlMapping m = v.mapping("address");
    if (m == null) {
      return null;
    }
    YamlValue address = m.require("address", HostPort.EXPECTED);
    HostPort hp =
        address == null ? null : address.parsed(HostPort.EXPECTED, s -> HostPort.parse(s, 0));
    return hp == null ? null : new AdminConfig(hp.host(), hp.port());
  }
}
