/** The client side: the listening socket's pipeline, protocol detection and HTTP/2 serving. */
package dev.ferry.proxy.listener;
