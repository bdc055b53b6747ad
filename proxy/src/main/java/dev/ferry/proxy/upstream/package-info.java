/**
 * Upstream: each running cluster's half that every event loop shares ({@link
 * dev.ferry.proxy.upstream.SharedCluster}) and its half per loop ({@link
 * dev.ferry.proxy.upstream.UpstreamCluster}: endpoints, balancer and the connection pools that the
 * loop's {@link dev.ferry.proxy.upstream.UpstreamConnector} opens).
 */
package dev.ferry.proxy.upstream;
