/**
 * Limits against abusive clients: per-route call guards, connection counts, HTTP/2 floods,
 * timeouts.
 */
package dev.ferry.proxy.limits;
