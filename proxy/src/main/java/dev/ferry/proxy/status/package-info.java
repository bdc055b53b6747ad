/**
 * What a call ended with, as every part of the proxy names it: the reason the proxy gives for a
 * reply of its own.
 */
package dev.ferry.proxy.status;
