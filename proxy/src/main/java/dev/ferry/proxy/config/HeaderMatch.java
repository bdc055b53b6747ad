package dev.ferry.proxy.config;

import java.util.regex.Pattern;

/**
 * A condition on one request header's value.
 *
 * @param name the header name, lower case
 * @param exact the value must equal this, or {@code null}
 * @param prefix the value must start with this, or {@code null}
 * @param regex the whole value must match this, or {@code null}
 */
public record HeaderMatch(String name, String exact, String prefix, Pattern regex) {}
