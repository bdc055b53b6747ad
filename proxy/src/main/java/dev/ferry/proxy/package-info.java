/**
 * ferry's data plane: an HTTP/2-aware reverse proxy and load balancer for gRPC and HTTP on Netty.
 *
 * <p>A request's way through the packages, as DESIGN.md draws the data path:
 *
 * <pre>
 * listener (TLS+ALPN via tls, protocol detect, HTTP/2 or http1 serving; limits against abuse)
 *   └▶ call: CallFactory gives each stream its handler (ProxyCall, or reflection's merged answer)
 *        admission: acl ▸ ratelimit (limits.RouteGuard) ▸ route ▸ header rules ▸ deadline
 *        attempts:  upstream cluster ▸ balance ▸ endpoint (health, healthcheck) ▸ loop's pool
 *        two pumps move the bytes (transport), retry holds a replayable request
 *   └▶ every ended call: one status (status) to the reply, accesslog, metrics and trace
 * </pre>
 *
 * Below them: config (the model, read from YAML or flags; reload applies a new one), grpc (wire
 * framing), http1 (translation), output (text writers). This package is the top: {@link
 * dev.ferry.proxy.ProxyServer} assembles the rest, and no other package imports it.
 */
package dev.ferry.proxy;
