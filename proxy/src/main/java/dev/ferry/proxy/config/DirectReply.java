package dev.ferry.proxy.config;

/**
 * A route's fixed answer, given without any upstream: a gRPC status for gRPC requests, an HTTP
 * status and body for others.
 *
 * @param grpcStatus the gRPC status code for gRPC requests
 * @param httpStatus the HTTP status for other requests
 * @param message the {@code grpc-message}, or the body of a plain HTTP reply
 */
public record DirectReply(int grpcStatus, int httpStatus, String message) {}
