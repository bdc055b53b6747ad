package dev.ferry.proxy.reload;

import java.time.Instant;

/**
 * One resource of a configuration source as applied.
 *
 * @param type the resource's kind, such as {@code listener}, {@code route}, {@code cluster} or
 *     {@code endpoints}
 * @param name its name
 * @param version the version the source gave with it
 * @param updated when it was last applied
 */
public record ResourceVersion(String type, String name, String version, Instant updated) {}
