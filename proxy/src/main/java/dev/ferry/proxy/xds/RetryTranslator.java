package dev.ferry.proxy.xds;

import dev.ferry.proxy.config.RetryPolicy;
import dev.ferry.proxy.status.GrpcCode;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Turns a route's {@code retry_policy} into ferry's status retries. */
final class RetryTranslator {
  /** Envoy's gRPC {@code retry_on} names. */
  private static final Map<String, GrpcCode> GRPC =
      Map.of(
          "cancelled", GrpcCode.CANCELLED,
          "deadline-exceeded", GrpcCode.DEADLINE_EXCEEDED,
          "internal", GrpcCode.INTERNAL,
          "resource-exhausted", GrpcCode.RESOURCE_EXHAUSTED,
          "unavailable", GrpcCode.UNAVAILABLE);

  /** ferry retries these whatever the policy says, so naming them asks for nothing more. */
  private static final Set<String> ALWAYS = Set.of("connect-failure", "refused-stream");

  /** ferry's share of retries in a route's calls, as in the YAML's default. */
  private static final int BUDGET_PERCENT = 20;

  private RetryTranslator() {}

  /** The policy, or {@code null} when it retries on no gRPC status. */
  static RetryPolicy translate(
      io.envoyproxy.envoy.config.route.v3.RetryPolicy p, String resource, String at)
      throws XdsRejection {
    if (p.hasPerTryTimeout() || p.hasPerTryIdleTimeout()) {
      throw new XdsRejection(resource, at + ".per_try_timeout", "not supported");
    }
    if (p.getRetriableStatusCodesCount() > 0 || p.getRetriableHeadersCount() > 0) {
      throw new XdsRejection(
          resource, at + ".retriable_status_codes/headers", "not supported (gRPC names only)");
    }
    Set<Integer> on = new LinkedHashSet<>();
    for (String name : p.getRetryOn().split(",")) {
      String n = name.trim();
      if (n.isEmpty() || ALWAYS.contains(n)) {
        continue;
      }
      GrpcCode c = GRPC.get(n);
      if (c == null) {
        throw new XdsRejection(
            resource,
            at + ".retry_on",
            "'"
                + n
                + "' not supported (expected gRPC names: cancelled, deadline-exceeded, internal,"
                + " resource-exhausted, unavailable)");
      }
      on.add(c.value());
    }
    int retries = p.hasNumRetries() ? p.getNumRetries().getValue() : 1;
    if (on.isEmpty() || retries == 0) {
      return null;
    }
    if (retries > 9) {
      throw new XdsRejection(resource, at + ".num_retries", retries + " (expected: at most 9)");
    }
    Duration base = Duration.ofMillis(25);
    Duration max = null;
    if (p.hasRetryBackOff()) {
      if (p.getRetryBackOff().hasBaseInterval()) {
        base = Protos.duration(p.getRetryBackOff().getBaseInterval());
      }
      if (p.getRetryBackOff().hasMaxInterval()) {
        max = Protos.duration(p.getRetryBackOff().getMaxInterval());
      }
    }
    if (base.isZero() || base.isNegative()) {
      throw new XdsRejection(resource, at + ".retry_back_off.base_interval", "expected > 0");
    }
    // Envoy's default cap is ten times the base.
    if (max == null) {
      max = base.multipliedBy(10);
    }
    if (max.compareTo(base) < 0) {
      throw new XdsRejection(
          resource, at + ".retry_back_off.max_interval", "less than base_interval");
    }
    return new RetryPolicy(Set.copyOf(on), retries + 1, base, max, BUDGET_PERCENT);
  }
}
