package dev.ferry.proxy.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;

/**
 * Collects the errors of one file while it is read, so that a user sees all of them in one run
 * instead of fixing them one at a time.
 */
final class ConfigErrors {
  private final String file;
  private final List<ConfigError> errors = new ArrayList<>();
  private final List<ConfigError> warnings; // null: none wanted, so nothing slow is looked up

  ConfigErrors(String file) {
    this(file, null);
  }

  /** Errors of {@code file}, and warnings into {@code warnings} when it is not {@code null}. */
  ConfigErrors(String file, List<ConfigError> warnings) {
    this.file = file;
    this.warnings = warnings;
  }

  /**
   * Whether the reader should look for what may work later but not now, such as host names that do
   * not resolve: only {@code --check} asks, since the lookups take time.
   */
  boolean wantsWarnings() {
    return warnings != null;
  }

  /** Something that does not stop the config from loading, but that the user should know. */
  void warn(Optional<Mark> where, String path, String message) {
    if (warnings != null) {
      warnings.add(
          new ConfigError(
              file,
              where.map(m -> m.getLine() + 1).orElse(0),
              where.map(m -> m.getColumn() + 1).orElse(0),
              path,
              "warning: " + message));
    }
  }

  void add(Optional<Mark> where, String path, String message) {
    // snakeyaml counts from 0; editors and compilers count from 1.
    int line = where.map(m -> m.getLine() + 1).orElse(0);
    int column = where.map(m -> m.getColumn() + 1).orElse(0);
    errors.add(new ConfigError(file, line, column, path, message));
  }

  /** Throws the errors found so far, sorted by position, if there are any. */
  void throwIfAny() throws ConfigException {
    if (!errors.isEmpty()) {
      List<ConfigError> sorted = new ArrayList<>(errors);
      sorted.sort(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column));
      throw new ConfigException(sorted);
    }
  }
}
