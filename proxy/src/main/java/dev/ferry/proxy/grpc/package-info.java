/**
 * gRPC's wire formats, read and written without a protobuf runtime: the length-prefixed message
 * framing of a body, and protobuf's field encoding inside a message.
 */
package dev.ferry.proxy.grpc;
