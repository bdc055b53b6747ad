package dev.ferry.proxy.metrics;

/**
 * What the admin listener shows of one endpoint of one cluster, summed over the event loops.
 *
 * @param cluster the cluster's name
 * @param endpoint the endpoint as configured, such as {@code 127.0.0.1:50051}
 * @param weight its weight under weighted round robin (1 otherwise)
 * @param healthy whether active health checks pass (true when the cluster has none)
 * @param ejected whether passive outlier detection has ejected it now
 * @param ejections how often it was ejected since the proxy started
 * @param inFlight calls running on it now
 * @param connections upstream connections open to it now
 */
public record EndpointStats(
    String cluster,
    String endpoint,
    int weight,
    boolean healthy,
    boolean ejected,
    long ejections,
    int inFlight,
    int connections) {}
