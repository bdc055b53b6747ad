package dev.ferry.proxy.transcode;

import java.util.Map;

/**
 * A request that fits a binding: the binding, and what the path's variables captured by field path.
 */
record RuleMatch(HttpBinding binding, Map<String, String> captured) {}
