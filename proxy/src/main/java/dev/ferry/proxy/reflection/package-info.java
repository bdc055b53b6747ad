/**
 * One server reflection for all: the proxy answers grpc.reflection for every cluster behind it, and
 * asks a cluster for a schema on its own behalf.
 */
package dev.ferry.proxy.reflection;
