/**
 * A transparent TCP tap that relays bytes unchanged and prints what they carry: HTTP/2 frames,
 * HPACK-decoded headers, gRPC messages, trailers and the root causes they show.
 */
package dev.ferry.proxy.trace;
