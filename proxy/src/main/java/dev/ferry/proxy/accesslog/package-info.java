/** The access log: one line per call, as text or JSON, to standard output or a file. */
package dev.ferry.proxy.accesslog;
