/**
 * Active health checks: each cluster's endpoints probed by grpc.health.v1 (h2) or an HTTP GET
 * (http1).
 */
package dev.ferry.proxy.healthcheck;
