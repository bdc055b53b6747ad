/**
 * What a call ended with, as every part of the proxy names it: the gRPC code, and for a reply of
 * the proxy's own one status value with its typed reason and detail.
 */
package dev.ferry.proxy.status;
