/**
 * The Connect protocol (connectrpc.com) at the edge: a Connect request turned into a gRPC call, and
 * the gRPC response (or ferry's own reply) turned back into Connect's unary answer, its stream of
 * envelopes, or its error JSON. JSON is read and written by the method's schema from server
 * reflection; the binary codec is only re-framed.
 */
package dev.ferry.proxy.connect;
