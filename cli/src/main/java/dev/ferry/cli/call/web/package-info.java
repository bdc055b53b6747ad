/**
 * {@code ferry call --protocol grpc-web|connect}: a grpc-java {@link io.grpc.Channel} whose calls
 * speak gRPC-Web or the Connect protocol over HTTP/1.1, as a browser does through a bridge, so that
 * CI can smoke-test exactly what browsers see.
 */
package dev.ferry.cli.call.web;
