/**
 * The admin listener: metrics, cluster state, the effective config, readiness and drain over HTTP.
 */
package dev.ferry.proxy.admin;
