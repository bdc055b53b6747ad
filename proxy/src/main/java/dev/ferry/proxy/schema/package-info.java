/**
 * Method schemas learned by server reflection of the cluster that serves them, cached per cluster
 * and event loop, for the bridges that turn JSON into gRPC (Connect, HTTP/JSON transcoding).
 */
package dev.ferry.proxy.schema;
