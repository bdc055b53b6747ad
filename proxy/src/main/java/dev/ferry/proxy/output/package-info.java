/**
 * Text output shared by the access log, trace and admin listener: JSON string escaping, socket
 * addresses as text and a queued line writer.
 */
package dev.ferry.proxy.output;
