package dev.smartgateway.routing;

/**
 * What the forwarded part of a virtual URL ({@code /{rest}}) may contain. It is forwarded raw, so the
 * question is what any decoder or router behind the gateway could make of it; the answer must never be
 * a step up or sideways out of the path the URL names. Refused:
 * <ul>
 *   <li>malformed percent-escapes ({@code %zz}, a lone {@code %}): decoders disagree on them;</li>
 *   <li>percent-encoded control characters ({@code %00} truncates paths in C code, {@code %0d%0a} splits
 *       lines in logs and headers);</li>
 *   <li>an empty first segment ({@code //x}, {@code /%2fx}, {@code /\x}): a path starting with two
 *       slashes is a reference to another <em>host</em> for anything that resolves it against a base URI;</li>
 *   <li>a dot segment ({@code .} or {@code ..}) as any lenient decoder might see it: raw or percent-encoded
 *       in any case and mix ({@code .%2e}), encoded again ({@code %252e}), as overlong UTF-8
 *       ({@code %c0%ae}), with path parameters ({@code ..;x}, which servlet containers strip), between
 *       encoded slashes ({@code a%2f..%2fb}) or backslashes ({@code a\..\b}, Windows servers), or
 *       encoded more than {@value #MAX_DECODING_ROUNDS} times deep (no sane client does that).</li>
 * </ul>
 * Further empty segments ({@code /a//b}) are forwarded: they cannot leave the path the URL names.
 */
final class ForwardPathRules {

  static final int MAX_DECODING_ROUNDS = 3;

  private ForwardPathRules() {
  }

  /** @return why {@code rest} (starting with {@code /}) may not be forwarded, or null if it may */
  static String violation(String rest) {
    if (!PercentDecoding.wellFormed(rest)) {
      return "malformed percent-escape in the forwarded path (% must be followed by two hex digits)";
    }
    String once = PercentDecoding.foldOverlongAscii(PercentDecoding.decodeOnce(rest));
    if (once.length() > 1 && isSeparator(once.charAt(1))) {
      return "the forwarded path starts with an empty segment (//)";
    }
    String path = rest;
    for (int round = 0; round <= MAX_DECODING_ROUNDS; round++) {
      if (hasDotSegment(path)) {
        return "dot segment ('.' or '..', possibly encoded) in the forwarded path";
      }
      if (hasControlCharacter(path)) {
        return "percent-encoded control character in the forwarded path";
      }
      String decoded = PercentDecoding.foldOverlongAscii(PercentDecoding.decodeOnce(path));
      if (decoded.equals(path)) {
        return null;
      }
      path = decoded;
    }
    return "the forwarded path is percent-encoded more than " + MAX_DECODING_ROUNDS + " times over";
  }

  private static boolean hasDotSegment(String path) {
    int start = 0;
    for (int i = 0; i <= path.length(); i++) {
      if (i == path.length() || isSeparator(path.charAt(i))) {
        if (isDotSegment(path, start, i)) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }

  /** {@code .} or {@code ..}, ignoring {@code ;parameters} as servlet containers do. */
  private static boolean isDotSegment(String path, int start, int end) {
    int name = start;
    while (name < end && path.charAt(name) != ';') {
      name++;
    }
    int length = name - start;
    return (length == 1 || length == 2) && path.charAt(start) == '.' && path.charAt(name - 1) == '.';
  }

  private static boolean isSeparator(char c) {
    return c == '/' || c == '\\';
  }

  private static boolean hasControlCharacter(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }
}
