/**
 * JMH microbenchmarks of the proxy's per-call hot parts: route match, header rewrite, balancer
 * pick.
 */
package dev.ferry.bench;
