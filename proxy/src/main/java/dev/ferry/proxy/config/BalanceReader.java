package dev.ferry.proxy.config;

import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a cluster's {@code balance:}, a one-of: a policy's name ({@code least_request}), or a
 * mapping with one policy and its options ({@code { ring_hash: { header: x-user-id } }}).
 */
final class BalanceReader {
  /** A policy and, for ring hash, the header it hashes. */
  record Balance(BalancePolicy policy, String hashHeader) {}

  static final List<String> NAMES =
      Arrays.stream(BalancePolicy.values()).map(BalanceReader::name).toList();

  private static final String RING_HASH_FORM = "balance: { ring_hash: { header: x-user-id } }";

  private BalanceReader() {}

  static String name(BalancePolicy p) {
    return p.name().toLowerCase(Locale.ROOT);
  }

  /** The balance, or {@code null} after reporting. */
  static Balance read(YamlValue v) {
    if (!v.isMapping()) {
      String s = v.nonEmptyString("a balance policy: " + String.join(", ", NAMES));
      if (s == null) {
        return null;
      }
      BalancePolicy p = policy(v, s);
      if (p == BalancePolicy.RING_HASH) {
        v.error("ring_hash needs the header whose value is hashed: " + RING_HASH_FORM);
        return null;
      }
      return p == null ? null : new Balance(p, null);
    }
    Map<String, YamlValue> entries = v.entries("one policy, such as " + RING_HASH_FORM);
    if (entries.size() != 1) {
      v.error(
          "expected exactly one policy, got "
              + (entries.isEmpty() ? "none" : String.join(", ", entries.keySet()))
              + " (such as "
              + RING_HASH_FORM
              + ")");
      return null;
    }
    var only = entries.entrySet().iterator().next();
    YamlValue options = only.getValue();
    BalancePolicy p = policy(options, only.getKey());
    if (p == null) {
      return null;
    }
    if (p != BalancePolicy.RING_HASH) {
      // `{ least_request: {} }` is the same as `least_request`: no policy but ring_hash has
      // options.
      if (!options.isNull() && (!options.isMapping() || !options.entries("no options").isEmpty())) {
        options.error(only.getKey() + " takes no options");
        return null;
      }
      return new Balance(p, null);
    }
    YamlMapping m = options.mapping("header");
    if (m == null) {
      return null;
    }
    YamlValue header =
        m.require("header", "the request header whose value is hashed, such as x-user-id");
    String name = header == null ? null : HeaderNames.read(header);
    return name == null ? null : new Balance(p, name);
  }

  private static BalancePolicy policy(YamlValue where, String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    int i = NAMES.indexOf(lower);
    if (i >= 0) {
      return BalancePolicy.values()[i];
    }
    String near = DidYouMean.closest(s, NAMES).map(n -> " (did you mean '" + n + "'?)").orElse("");
    where.error(
        "unknown balance policy '"
            + s
            + "'"
            + near
            + "; expected one of: "
            + String.join(", ", NAMES));
    return null;
  }
}
