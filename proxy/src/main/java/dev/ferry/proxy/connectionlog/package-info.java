/** The proxy's log of connections that end before they carry a call, rate-limited per kind. */
package dev.ferry.proxy.connectionlog;
