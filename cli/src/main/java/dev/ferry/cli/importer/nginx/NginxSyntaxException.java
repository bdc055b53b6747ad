package dev.ferry.cli.importer.nginx;

/** A configuration nginx itself would refuse to read: one line, with the file:line of the fault. */
public final class NginxSyntaxException extends Exception {
  NginxSyntaxException(String where, String message) {
    super(where + ": " + message);
  }
}
