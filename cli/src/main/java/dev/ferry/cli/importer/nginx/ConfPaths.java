package dev.ferry.cli.importer.nginx;

import java.nio.file.Path;

/**
 * Where nginx reads a relative file name from: its conf prefix, which is the main file's directory
 * when nginx runs with {@code -c FILE}. Written absolute, since ferry reads from its own directory.
 */
record ConfPaths(Path confDir) {
  String absolute(String path) {
    Path p = Path.of(path);
    if (p.isAbsolute()) {
      return p.toString();
    }
    return confDir.resolve(p).toAbsolutePath().normalize().toString();
  }
}
