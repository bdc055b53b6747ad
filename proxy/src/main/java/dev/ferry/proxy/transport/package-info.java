/**
 * What both sides of a proxied stream share below the call: the client stream as a call writes to
 * it, what serves a stream ({@code StreamHandler}), flush batching per event loop, and ferry's
 * HTTP/2 settings.
 */
package dev.ferry.proxy.transport;
