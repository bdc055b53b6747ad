/**
 * TLS: the listeners' certificates chosen by SNI and reloaded, client certificates, and local CAs.
 */
package dev.ferry.proxy.tls;
