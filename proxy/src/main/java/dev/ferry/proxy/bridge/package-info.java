/**
 * Bridges at the edge: requests in a browser's protocol (gRPC-Web) turned into gRPC toward the
 * call, and the gRPC response turned back, so the call itself stays protocol-agnostic.
 */
package dev.ferry.proxy.bridge;
