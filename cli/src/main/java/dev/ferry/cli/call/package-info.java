/**
 * The reflective gRPC client behind {@code ferry call}: schema sources, dynamic calls, diagnosis.
 */
package dev.ferry.cli.call;
