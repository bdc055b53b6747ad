/**
 * One proxied call: the stream from the client tied to the stream to the backend, and its replies.
 */
package dev.ferry.proxy.call;
