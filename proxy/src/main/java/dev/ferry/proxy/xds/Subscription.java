package dev.ferry.proxy.xds;

import java.util.Set;

/**
 * What ferry asked of one resource type on the ADS stream: the names (empty for a wildcard), the
 * version last accepted and the nonce of the last response, which every request echoes.
 */
final class Subscription {
  final ResourceType type;
  Set<String> names = Set.of();
  String acceptedVersion = "";
  String nonce = "";

  /** The version last NACKed, and how long to wait before NACKing it again. */
  String rejectedVersion;

  java.time.Duration renackDelay;

  Subscription(ResourceType type) {
    this.type = type;
  }

  /**
   * Whether a request for this type is due on a stream: wildcard types always, named ones once they
   * have a name (an empty list would ask for everything).
   */
  boolean wanted() {
    return type.wildcard || !names.isEmpty();
  }
}
