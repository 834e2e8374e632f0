package dev.smartgateway.routing;

/**
 * Lenient percent-decoding for safety checks only (never for forwarding: the forwarded path stays raw).
 * "Lenient" on purpose: the question is what some decoder behind the gateway might make of a path, so
 * this decodes as generously as the most forgiving decoders do.
 */
final class PercentDecoding {

  private PercentDecoding() {
  }

  /**
   * One round of decoding: {@code %XX} (either case) becomes the byte's char (0-255), {@code %uXXXX} (the
   * old IIS form) the UTF-16 char; anything malformed is kept as is.
   */
  static String decodeOnce(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '%' && isHex(s, i + 1, 2)) {
        out.append((char) Integer.parseInt(s, i + 1, i + 3, 16));
        i += 3;
      } else if (c == '%' && i + 1 < s.length() && (s.charAt(i + 1) == 'u' || s.charAt(i + 1) == 'U')
          && isHex(s, i + 2, 4)) {
        out.append((char) Integer.parseInt(s, i + 2, i + 6, 16));
        i += 6;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /**
   * Folds overlong UTF-8 encodings of ASCII characters ({@code C0 AE}, {@code E0 80 AE} = '.') in a string of
   * byte values (chars 0-255) into the ASCII character, as lenient UTF-8 decoders do. Everything else,
   * including correctly encoded non-ASCII, is left alone.
   */
  static String foldOverlongAscii(String bytes) {
    StringBuilder out = null;
    int i = 0;
    while (i < bytes.length()) {
      int b = bytes.charAt(i);
      int length = b == 0xC0 || b == 0xC1 ? 2 : b == 0xE0 ? 3 : b == 0xF0 ? 4 : 1;
      int folded = length > 1 ? overlongAscii(bytes, i, length) : -1;
      if (folded >= 0) {
        if (out == null) {
          out = new StringBuilder(bytes.length()).append(bytes, 0, i);
        }
        out.append((char) folded);
        i += length;
      } else {
        if (out != null) {
          out.append((char) b);
        }
        i++;
      }
    }
    return out == null ? bytes : out.toString();
  }

  /** @return the ASCII code point the sequence at {@code start} encodes in too many bytes, or -1 */
  private static int overlongAscii(String bytes, int start, int length) {
    if (start + length > bytes.length()) {
      return -1;
    }
    int codePoint = bytes.charAt(start) & (0x7F >> length);
    for (int k = 1; k < length; k++) {
      int continuation = bytes.charAt(start + k);
      if ((continuation & 0xC0) != 0x80 || continuation > 0xFF) {
        return -1;
      }
      codePoint = (codePoint << 6) | (continuation & 0x3F);
    }
    return codePoint < 0x80 ? codePoint : -1;
  }

  /** True if every {@code %} in {@code s} starts a {@code %XX} escape. */
  static boolean wellFormed(String s) {
    for (int i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
      if (!isHex(s, i + 1, 2)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(String s, int from, int count) {
    if (from + count > s.length()) {
      return false;
    }
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }
}
