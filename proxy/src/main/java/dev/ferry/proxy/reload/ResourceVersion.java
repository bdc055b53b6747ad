package dev.ferry.proxy.reload;

import java.time.Instant;

/**
 * One resource of a configuration source as applied.
 *
 * @param type the resource's kind, such as {@code listener}, {@code route}, {@code cluster} or
 *     {@code endpoints}
 * @param name its name
 * @param source where it comes from: {@code file} or {@code xds}
 * @param version the version the source gave with it, or {@code null} for a file's
 * @param updated when it was last applied, or {@code null} for a file's (applied at start)
 */
public record ResourceVersion(
    String type, String name, String source, String version, Instant updated) {}
