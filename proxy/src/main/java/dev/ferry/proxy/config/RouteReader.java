package dev.ferry.proxy.config;

import java.time.Duration;
import java.util.Set;

/**
 * Reads one route of a listener: what it matches, where it goes (a cluster or a direct reply, one
 * of the two), its deadline cap and header rules.
 */
final class RouteReader {
  private RouteReader() {}

  /**
   * The route, or {@code null} after reporting.
   *
   * @param clusters the names defined under {@code clusters:}, to check the reference now
   */
  static RouteConfig read(YamlValue v, Set<String> clusters) {
    YamlMapping m =
        v.mapping(
            "match",
            "cluster",
            "direct_reply",
            "timeout",
            "request_headers",
            "response_headers",
            "retry",
            "acl",
            "rate_limit",
            "max_request_message_size",
            "cors");
    if (m == null) {
      return null;
    }
    YamlValue matchValue =
        m.require("match", "a mapping such as { service: helloworld.Greeter } or { prefix: / }");
    RouteMatch match = matchValue == null ? null : MatchReader.read(matchValue);
    boolean ok = match != null;

    String cluster = null;
    DirectReply directReply = null;
    if (m.has("cluster") && m.has("direct_reply")) {
      v.error("a route goes to a cluster or gives a direct_reply, not both");
      ok = false;
    } else if (m.has("cluster")) {
      cluster = cluster(m.get("cluster"), clusters);
      ok &= cluster != null;
    } else if (m.has("direct_reply")) {
      directReply = DirectReplyReader.read(m.get("direct_reply"));
      ok &= directReply != null;
    } else {
      v.error("a route needs a cluster or a direct_reply");
      ok = false;
    }

    Duration maxTimeout = null;
    if (m.has("timeout")) {
      YamlMapping timeout = m.get("timeout").mapping("max");
      if (timeout == null) {
        ok = false;
      } else {
        YamlValue max = timeout.require("max", Durations.EXPECTED);
        maxTimeout = max == null ? null : max.duration(false);
        ok &= maxTimeout != null;
      }
    }
    HeaderRules request = headerRules(m, "request_headers");
    HeaderRules response = headerRules(m, "response_headers");
    ok &= request != null && response != null;
    RoutePolicy policy = PolicyReader.route(m);
    ok &= policy != null;
    RetryPolicy retry = null;
    if (m.has("retry")) {
      if (directReply != null) {
        m.get("retry").error("a direct_reply is never retried: retry needs a cluster");
        ok = false;
      } else {
        retry = RetryReader.read(m.get("retry"));
        ok &= retry != null;
      }
    }
    return ok
        ? new RouteConfig(match, cluster, directReply, request, response, maxTimeout, retry, policy)
        : null;
  }

  private static HeaderRules headerRules(YamlMapping m, String key) {
    return m.has(key) ? HeaderRulesReader.read(m.get(key)) : HeaderRules.NONE;
  }

  private static String cluster(YamlValue v, Set<String> clusters) {
    String name = v.nonEmptyString("the name of a cluster");
    if (name == null) {
      return null;
    }
    if (!clusters.contains(name)) {
      String hint =
          clusters.isEmpty()
              ? " (there is no clusters: section)"
              : DidYouMean.hint(name, clusters.stream().sorted().toList());
      v.error("no cluster named '" + name + "'" + hint);
      return null;
    }
    return name;
  }
}
