/**
 * Whether endpoints may take calls: active health checks (gRPC health, HTTP GET) and their shared
 * state.
 */
package dev.ferry.proxy.health;
