/**
 * HTTP/1.1 messages translated to and from the HTTP/2 header model that calls use, and the
 * hop-by-hop headers neither side forwards.
 */
package dev.ferry.proxy.http1;
