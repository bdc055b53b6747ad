/** Upstream: clusters, their endpoints and the per-event-loop pools of connections to them. */
package dev.ferry.proxy.upstream;
