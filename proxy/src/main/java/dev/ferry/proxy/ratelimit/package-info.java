/** Rate limits: token buckets per route, keyed globally, per client address or per header. */
package dev.ferry.proxy.ratelimit;
