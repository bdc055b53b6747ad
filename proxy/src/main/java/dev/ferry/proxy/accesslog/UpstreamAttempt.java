package dev.ferry.proxy.accesslog;

/**
 * One try of a call that tried more than one endpoint, or whose only try failed: the endpoint and
 * how the try ended.
 *
 * @param endpoint {@code 127.0.0.1:50052}
 * @param outcome {@code UNAVAILABLE(14)} for an answer, {@code connect_refused}, {@code
 *     stream_reset}, ... for a failure, {@code no_answer} for a try the call ended itself
 */
public record UpstreamAttempt(String endpoint, String outcome) {}
