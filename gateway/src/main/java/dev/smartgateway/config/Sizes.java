package dev.smartgateway.config;

/**
 * Byte sizes as written in the configuration: a whole amount with an optional binary unit,
 * {@code 512} (bytes), {@code 512b}, {@code 16k}, {@code 8m}, {@code 1g}; units are case-insensitive and
 * binary ({@code 1k} = 1024 bytes), as for memory and buffer sizes everywhere else.
 */
public final class Sizes {

  static final String EXAMPLES = "use e.g. 512, 16k, 8m, 1g";

  private Sizes() {
  }

  /**
   * @return the size in bytes
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static long parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("a size is required (" + EXAMPLES + ")");
    }
    char last = Character.toLowerCase(text.charAt(text.length() - 1));
    int shift = switch (last) {
      case 'b' -> 0;
      case 'k' -> 10;
      case 'm' -> 20;
      case 'g' -> 30;
      default -> -1;
    };
    String amount = shift < 0 ? text : text.substring(0, text.length() - 1);
    if (amount.isEmpty() || !amount.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(quote(text) + " is not a size (" + EXAMPLES + ")");
    }
    try {
      return Math.multiplyExact(Long.parseLong(amount), 1L << Math.max(shift, 0));
    } catch (NumberFormatException | ArithmeticException tooLarge) {
      throw new IllegalArgumentException(quote(text) + " is too large a size");
    }
  }

  /** The size in the largest unit that writes it whole ({@code 64m}, {@code 1536k}, {@code 100b}): parse reads it back. */
  public static String format(long bytes) {
    if (bytes != 0) {
      if (bytes % (1L << 30) == 0) {
        return (bytes >> 30) + "g";
      }
      if (bytes % (1L << 20) == 0) {
        return (bytes >> 20) + "m";
      }
      if (bytes % (1L << 10) == 0) {
        return (bytes >> 10) + "k";
      }
    }
    return bytes + "b";
  }

  private static String quote(String text) {
    return '"' + text + '"';
  }
}
