/**
 * ferry's data plane: an HTTP/2-aware reverse proxy and load balancer for gRPC and HTTP on Netty.
 */
package dev.ferry.proxy;
