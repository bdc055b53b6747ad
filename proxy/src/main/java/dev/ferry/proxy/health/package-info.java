/**
 * The health of each endpoint as every event loop sees it: up or down by health checks, ejected by
 * outlier detection.
 */
package dev.ferry.proxy.health;
