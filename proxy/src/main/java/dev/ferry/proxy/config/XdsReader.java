package dev.ferry.proxy.config;

import java.util.List;
import java.util.Locale;

/** Reads {@code xds:}; where it is left out, every resource comes from the file. */
final class XdsReader {
  private static final String SERVER = "the control plane, host:port such as 127.0.0.1:18000";

  private XdsReader() {}

  /** The control plane to follow, or {@code null} after reporting. */
  static XdsConfig read(YamlValue v) {
    YamlMapping m = v.mapping("server", "channel", "node");
    if (m == null) {
      return null;
    }
    YamlValue s = m.require("server", SERVER);
    String server = s == null ? null : s.parsed(SERVER, XdsReader::server);
    XdsConfig.Channel channel = XdsConfig.Channel.INSECURE;
    if (m.has("channel")) {
      YamlValue c = m.get("channel");
      String text = c.nonEmptyString("insecure or tls");
      channel = text == null ? null : channel(c, text);
    }
    String id = "";
    String cluster = "";
    boolean nodeOk = true;
    if (m.has("node")) {
      YamlMapping node = m.get("node").mapping("id", "cluster");
      nodeOk = node != null;
      if (node != null && node.has("id")) {
        id = node.get("id").nonEmptyString("the node's id, such as edge-1");
      }
      if (node != null && node.has("cluster")) {
        cluster = node.get("cluster").nonEmptyString("the node's cluster, such as edge");
      }
    }
    if (server == null || channel == null || !nodeOk || id == null || cluster == null) {
      return null;
    }
    return new XdsConfig(server, channel, id, cluster);
  }

  /** A grpc target with a scheme is passed on as given; without one it must be host:port. */
  private static String server(String text) {
    if (!text.contains("://")) {
      HostPort.parse(text, 1);
    } else if (text.isBlank() || text.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("expected " + SERVER + ", got '" + text + "'");
    }
    return text;
  }

  private static XdsConfig.Channel channel(YamlValue v, String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "insecure" -> XdsConfig.Channel.INSECURE;
      case "tls" -> XdsConfig.Channel.TLS;
      default -> {
        v.error("unknown channel '" + s + "'" + DidYouMean.hint(s, List.of("insecure", "tls")));
        yield null;
      }
    };
  }
}
