/**
 * How {@code ferry call} reaches its target: the address, TLS or plaintext, the grpc-java channel.
 */
package dev.ferry.cli.call.transport;
