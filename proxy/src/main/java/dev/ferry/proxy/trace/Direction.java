package dev.ferry.proxy.trace;

/** Which way bytes travel through the tap. */
public enum Direction {
  CLIENT_TO_SERVER("→", "c2s"),
  SERVER_TO_CLIENT("←", "s2c");

  private final String arrow;
  private final String shortName;

  Direction(String arrow, String shortName) {
    this.arrow = arrow;
    this.shortName = shortName;
  }

  /** {@code →} for client to server, {@code ←} for server to client. */
  public String arrow() {
    return arrow;
  }

  /** {@code c2s} or {@code s2c}, as in the JSON output. */
  public String shortName() {
    return shortName;
  }

  /** The other way. */
  public Direction opposite() {
    return this == CLIENT_TO_SERVER ? SERVER_TO_CLIENT : CLIENT_TO_SERVER;
  }
}
