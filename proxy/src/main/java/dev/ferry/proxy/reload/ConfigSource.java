package dev.ferry.proxy.reload;

import java.util.List;

/**
 * Where the running configuration comes from, as the admin listener shows it: a file, flags, or an
 * xDS control plane, with each resource's version and last update, and whether the source lets the
 * proxy call itself ready.
 */
public interface ConfigSource {
  /** The configuration came from a file or flags given at start; it is always ready. */
  ConfigSource STATIC = () -> new SourceStatus("static", "file or flags", null, List.of());

  /** What the source says now. */
  SourceStatus status();
}
