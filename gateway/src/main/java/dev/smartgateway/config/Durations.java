package dev.smartgateway.config;

import java.time.Duration;

/**
 * Durations as written in the configuration: a whole amount and a unit, {@code 250ms 30s 5m 1h 2d}.
 * A bare {@code 0} is zero; any other amount needs its unit, so {@code 30} (seconds? milliseconds?) is
 * refused instead of guessed.
 */
public final class Durations {

  static final String EXAMPLES = "use e.g. 250ms, 30s, 5m, 1h";

  private Durations() {
  }

  /**
   * @param text e.g. {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d} or {@code 0}
   * @return the duration, whole milliseconds (so {@link Duration#toMillis()} never overflows)
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a duration is required (" + EXAMPLES + ")");
    }
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    int digits = 0;
    while (digits < text.length() && isDigit(text.charAt(digits))) {
      digits++;
    }
    long unitMillis = switch (text.substring(digits)) {
      case "ms" -> 1L;
      case "s" -> 1_000L;
      case "m" -> 60_000L;
      case "h" -> 3_600_000L;
      case "d" -> 86_400_000L;
      default -> -1L;
    };
    if (digits == 0 || unitMillis < 0) {
      throw new IllegalArgumentException(quote(text) + " is not a duration (" + EXAMPLES + ")");
    }
    try {
      return Duration.ofMillis(Math.multiplyExact(Long.parseLong(text.substring(0, digits)), unitMillis));
    } catch (NumberFormatException | ArithmeticException tooLong) {
      throw new IllegalArgumentException(quote(text) + " is too long a duration");
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String quote(String text) {
    return '"' + text + '"';
  }
}
