package dev.ferry.proxy.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Loads {@code ferry.yaml} into a {@link ProxyConfig}, or fails with every error of the file, each
 * naming its line, column and key.
 *
 * <p>The YAML is composed to nodes rather than constructed to maps: nodes keep their positions,
 * which is what makes an error message point at the right line.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * Reads and checks {@code file}; errors name it as given.
   *
   * @throws IOException when the file cannot be read
   * @throws ConfigException when it is not a valid configuration
   */
  public static ProxyConfig load(Path file) throws IOException, ConfigException {
    return parse(file.toString(), Files.readString(file));
  }

  /**
   * Reads and checks {@code file} as {@link #load} does, and adds to {@code warnings} what may fail
   * later without stopping the proxy now (an endpoint's host name that does not resolve): for
   * {@code --check}.
   */
  public static ProxyConfig check(Path file, List<ConfigError> warnings)
      throws IOException, ConfigException {
    return parse(file.toString(), Files.readString(file), warnings);
  }

  /**
   * Checks {@code yaml}; errors name {@code fileName}.
   *
   * @throws ConfigException when it is not a valid configuration
   */
  public static ProxyConfig parse(String fileName, String yaml) throws ConfigException {
    return parse(fileName, yaml, null);
  }

  /** As {@link #parse(String, String)}, with warnings into {@code warnings} unless it is null. */
  static ProxyConfig parse(String fileName, String yaml, List<ConfigError> warnings)
      throws ConfigException {
    ConfigErrors errors = new ConfigErrors(fileName, warnings);
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(fileName)
            .setSchema(new CoreSchema())
            // Aliases are of no use in this small a format, and could make a small file huge.
            .setMaxAliasesForCollections(10)
            .build();
    Optional<Node> root;
    try {
      root = new Compose(settings).composeString(yaml);
    } catch (MarkedYamlEngineException e) {
      errors.add(e.getProblemMark(), "", "invalid YAML: " + e.getProblem());
      errors.throwIfAny();
      throw new AssertionError("unreachable");
    } catch (YamlEngineException e) {
      throw new ConfigException(
          List.of(new ConfigError(fileName, 0, 0, "", "invalid YAML: " + e.getMessage())));
    }
    if (root.isEmpty()) {
      throw new ConfigException(
          List.of(
              new ConfigError(
                  fileName, 0, 0, "", "the file is empty (expected listeners: and clusters:)")));
    }
    ProxyConfig config = ProxyConfigReader.read(YamlValue.root(root.get(), errors));
    errors.throwIfAny();
    if (config == null) {
      throw new IllegalStateException("a reader failed without reporting why");
    }
    return config;
  }
}
