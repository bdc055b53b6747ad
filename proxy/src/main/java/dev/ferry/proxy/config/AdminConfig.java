package dev.ferry.proxy.config;

/**
 * The admin listener: {@code /metrics}, {@code /clusters}, {@code /config}, {@code /ready}, {@code
 * /healthz} and {@code POST /drain} over plain HTTP/1.1. Bind it to loopback: it has no
 * authentication.
 *
 * @param host the address to bind, such as {@code 127.0.0.1}
 * @param port the port; 0 picks a free one
 */
public record AdminConfig(String host, int port) {}
