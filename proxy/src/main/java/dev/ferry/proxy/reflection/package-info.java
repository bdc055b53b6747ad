/** One server reflection for all: the proxy answers grpc.reflection for every cluster behind it. */
package dev.ferry.proxy.reflection;
