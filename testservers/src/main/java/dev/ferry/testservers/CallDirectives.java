package dev.ferry.testservers;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a client asked of one call through its request metadata: an injected failure, a delay, and
 * the shape of a reply stream. Parsed once per call by {@link FaultInjectionInterceptor} and read
 * by the services through {@link #current()}.
 *
 * @param failStatus the status to end the call with ({@code x-fail-status} and its message), or
 *     null for none
 * @param failAfter how many messages a server stream sends before it fails ({@code x-fail-after})
 * @param delayMs how long the call waits before its handler starts ({@code x-delay-ms})
 * @param streamCount how many replies {@code SayHelloStreamReply} sends ({@code x-stream-count})
 * @param streamIntervalMs the pause between two replies of a stream ({@code x-stream-interval-ms})
 */
record CallDirectives(
    Status failStatus, int failAfter, long delayMs, int streamCount, long streamIntervalMs) {

  static final Metadata.Key<String> FAIL_STATUS = asciiKey("x-fail-status");
  static final Metadata.Key<String> FAIL_MESSAGE = asciiKey("x-fail-message");
  static final Metadata.Key<byte[]> FAIL_MESSAGE_BIN =
      Metadata.Key.of("x-fail-message-bin", Metadata.BINARY_BYTE_MARSHALLER);
  static final Metadata.Key<String> FAIL_AFTER = asciiKey("x-fail-after");
  static final Metadata.Key<String> DELAY_MS = asciiKey("x-delay-ms");
  static final Metadata.Key<String> STREAM_COUNT = asciiKey("x-stream-count");
  static final Metadata.Key<String> STREAM_INTERVAL_MS = asciiKey("x-stream-interval-ms");

  static final int DEFAULT_STREAM_COUNT = 3;
  static final String DEFAULT_FAIL_MESSAGE = "injected";

  /** The directives of a call that asked for nothing. */
  static final CallDirectives NONE = new CallDirectives(null, 0, 0, DEFAULT_STREAM_COUNT, 0);

  private static final Context.Key<CallDirectives> CONTEXT_KEY = Context.key("ferry-directives");

  /** The directives of the call running on this thread; {@link #NONE} outside an example call. */
  static CallDirectives current() {
    CallDirectives directives = CONTEXT_KEY.get();
    return directives == null ? NONE : directives;
  }

  Context attachTo(Context context) {
    return context.withValue(CONTEXT_KEY, this);
  }

  /**
   * Reads the directives from request headers.
   *
   * @throws InvalidDirectiveException naming the header whose value makes no sense
   */
  static CallDirectives parse(Metadata headers) {
    Status failStatus = parseStatus(headers);
    String failAfterText = headers.get(FAIL_AFTER);
    if (failAfterText != null && failStatus == null) {
      throw new InvalidDirectiveException(
          "x-fail-after: needs x-fail-status to say how the stream fails");
    }
    return new CallDirectives(
        failStatus,
        (int) nonNegative(FAIL_AFTER, failAfterText, 0, Integer.MAX_VALUE),
        nonNegative(DELAY_MS, headers.get(DELAY_MS), 0, Long.MAX_VALUE),
        (int)
            nonNegative(
                STREAM_COUNT, headers.get(STREAM_COUNT), DEFAULT_STREAM_COUNT, Integer.MAX_VALUE),
        nonNegative(STREAM_INTERVAL_MS, headers.get(STREAM_INTERVAL_MS), 0, Long.MAX_VALUE));
  }

  private static Status parseStatus(Metadata headers) {
    String text = headers.get(FAIL_STATUS);
    if (text == null) {
      return null;
    }
    return statusCode(text.trim()).toStatus().withDescription(failMessage(headers));
  }

  private static Status.Code statusCode(String text) {
    try {
      int value = Integer.parseInt(text);
      for (Status.Code code : Status.Code.values()) {
        if (code.value() == value) {
          return code;
        }
      }
    } catch (NumberFormatException notANumber) {
      try {
        return Status.Code.valueOf(text.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException notAName) {
        // Falls through to the one error message below.
      }
    }
    throw new InvalidDirectiveException(
        "x-fail-status: '"
            + text
            + "' is not a gRPC status (expected: a code 0..16 or a name like UNAVAILABLE)");
  }

  private static String failMessage(Metadata headers) {
    String ascii = headers.get(FAIL_MESSAGE);
    if (ascii != null) {
      return ascii;
    }
    byte[] utf8 = headers.get(FAIL_MESSAGE_BIN);
    if (utf8 != null) {
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(utf8))
            .toString();
      } catch (CharacterCodingException e) {
        throw new InvalidDirectiveException("x-fail-message-bin: is not valid UTF-8");
      }
    }
    return DEFAULT_FAIL_MESSAGE;
  }

  private static long nonNegative(Metadata.Key<String> key, String text, long absent, long max) {
    if (text == null) {
      return absent;
    }
    try {
      long value = Long.parseLong(text.trim());
      if (value >= 0 && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Falls through to the one error message below.
    }
    throw new InvalidDirectiveException(
        key.name() + ": '" + text + "' is not a whole number (expected: 0.." + max + ")");
  }

  private static Metadata.Key<String> asciiKey(String name) {
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }

  /** A directive header whose value cannot be used; its message names the header. */
  static final class InvalidDirectiveException extends RuntimeException {
    InvalidDirectiveException(String message) {
      super(message, null, false, false);
    }
  }
}
