/**
 * Counters and histograms of the running proxy, kept cheap for the data path and exported in
 * Prometheus text.
 */
package dev.ferry.proxy.metrics;
