package dev.ferry.proxy.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Access control of a listener or a route.
 *
 * @param allow address ranges ({@code 10.0.0.0/8}, {@code ::1/128}) that may call; empty for all
 * @param deny address ranges that may not, whatever {@link #allow} says
 * @param clientSubjects regexes one of which the whole subject of the client's verified certificate
 *     must match; empty for no condition
 */
public record AclConfig(List<String> allow, List<String> deny, List<Pattern> clientSubjects) {}
