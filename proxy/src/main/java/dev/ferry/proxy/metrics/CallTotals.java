package dev.ferry.proxy.metrics;

/**
 * The calls of one route and cluster since the proxy started, summed over methods: what the
 * dashboard turns into rates by taking the difference of two samples.
 *
 * @param route the route's label ({@code service=helloworld.Greeter}), {@code none} for calls that
 *     matched no route
 * @param cluster the route's cluster, {@code ""} when it has none
 * @param calls calls that ended
 * @param errors calls that ended with a gRPC status other than OK (plain HTTP calls never count)
 * @param latencyBuckets how many calls took at most each of {@link ProxyMeters#latencyBounds()} and
 *     were not counted in the bucket before; one more slot at the end for those slower than all
 */
public record CallTotals(
    String route, String cluster, long calls, long errors, long[] latencyBuckets) {}
