package dev.ferry.cli.option;

import dev.ferry.proxy.config.Durations;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/**
 * A duration option ({@code --deadline 5s}), read by the grammar of ferry.yaml's durations so that
 * the command line and the configuration take the same ones, and shown as a person reads it.
 */
public final class DurationOption implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      // picocli puts the option's name in front: one line naming the option and the bad value.
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  /**
   * A duration as a person reads it: {@code 5s}, {@code 1.50s}, {@code 250ms}; unlike {@link
   * Durations#format}, seconds with a fraction rather than a sum of units.
   */
  public static String format(Duration d) {
    long millis = d.toMillis();
    if (millis < 1000) {
      return millis + "ms";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return String.format(Locale.ROOT, "%.3gs", millis / 1000.0);
  }
}
