/**
 * HTTP/JSON transcoding: a plain HTTP request that fits a method's {@code google.api.http} rule,
 * learned by server reflection, becomes a gRPC call to that method, and its answer JSON again.
 */
package dev.ferry.proxy.transcode;
