package dev.ferry.proxy.accesslog;

/** Turns one entry into one line of the access log, without the line end. */
interface AccessLogFormatter {
  void format(AccessLogEntry entry, StringBuilder line);
}
