/**
 * The xDS client: ferry's listeners, routes, clusters and endpoints from a control plane over ADS,
 * translated to ferry's own configuration and applied as a file reload is.
 */
package dev.ferry.proxy.xds;
