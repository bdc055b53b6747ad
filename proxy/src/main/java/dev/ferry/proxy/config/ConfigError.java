package dev.ferry.proxy.config;

/**
 * One problem found in a configuration, located so that a person can go straight to it.
 *
 * <p>It prints as {@code ferry.yaml:9:9: listeners[0].routes[1].cluster: no cluster named 'dainiki'
 * (did you mean 'daininki'?)}; an error in a flag has no file and prints as {@code --route
 * helloworld.Greeter=: no endpoint after '='}.
 *
 * @param file the file as the user named it, or {@code null} for an error in the flags
 * @param line 1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 * @param path where in the document: {@code listeners[0].routes[1].cluster}, or the flag and its
 *     value; empty for the whole document
 * @param message what is wrong and what was expected
 */
public record ConfigError(String file, int line, int column, String path, String message) {

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    if (file != null) {
      sb.append(file);
      if (line > 0) {
        sb.append(':').append(line).append(':').append(column);
      }
      sb.append(": ");
    }
    if (!path.isEmpty()) {
      sb.append(path).append(": ");
    }
    return sb.append(message).toString();
  }
}
