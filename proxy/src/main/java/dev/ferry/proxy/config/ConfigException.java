package dev.ferry.proxy.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration that cannot be used, with every error found in it (not just the first). */
public final class ConfigException extends Exception {
  private final List<ConfigError> errors;

  public ConfigException(List<ConfigError> errors) {
    super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("errors: empty (expected: at least one)");
    }
    this.errors = List.copyOf(errors);
  }

  /** The errors in the order of the file (flags: the order given). */
  public List<ConfigError> errors() {
    return errors;
  }
}
