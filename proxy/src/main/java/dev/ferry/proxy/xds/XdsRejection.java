package dev.ferry.proxy.xds;

/**
 * A resource ferry cannot apply: its message names the resource, the field and why, and becomes the
 * {@code error_detail} of the NACK.
 */
final class XdsRejection extends Exception {
  XdsRejection(String resource, String field, String why) {
    super(resource + ": " + field + ": " + why);
  }

  /** For a resource as a whole ({@code Cluster "greeter": ...}). */
  static String name(String kind, String name) {
    return kind + " \"" + name + "\"";
  }
}
