package dev.smartgateway.server;

import java.util.List;
import java.util.Locale;

/**
 * Which host an HTTP/1.x request is for (RFC 9112 section 3.2), as strictly as its framing: the gateway, the VM
 * and anything in between must not disagree on it, or a request could be routed, cached or logged as one for
 * another host.
 *
 * <ul>
 *   <li>An HTTP/1.1 request has exactly one {@code Host} header, an HTTP/1.0 one at most one; several are
 *       refused even when they agree (RFC 9112: "more than one Host header field line").</li>
 *   <li>A {@code Host} is {@code host [":" port]} (RFC 3986 {@code uri-host}: an IP literal in brackets, an IPv4
 *       address or a registered name of unreserved, percent-encoded and sub-delimiter characters), with a
 *       non-empty host and a port up to 65535. A comma is refused too: it is how field lines are combined
 *       (RFC 9110 section 5.3), so {@code Host: a,b} cannot be told from two Host headers joined on the way.</li>
 *   <li>An absolute-form request target ({@code http://authority/path?query}, RFC 9112 section 3.2.2) is
 *       accepted, as a server must: its authority is validated like a {@code Host} and replaces the
 *       {@code Host} header (the header must still be there on HTTP/1.1, as RFC 9112 requires and nginx
 *       enforces); its path and query are the request's origin form. Only {@code http} and {@code https}
 *       targets, without user info (RFC 9110 section 4.2.4).</li>
 * </ul>
 */
public final class RequestTarget {

  /** Enough of a bad Host in a problem's detail to recognise it, not enough to echo a whole header back. */
  private static final int MAX_QUOTED = 100;

  private RequestTarget() {
  }

  /**
   * An absolute-form request target, split.
   *
   * @param scheme     as written (any letter case)
   * @param authority  what stood between {@code ://} and the path (not validated here)
   * @param originForm the path and query, byte for byte; {@code /} when the path is empty ({@code http://h?q}
   *                   becomes {@code /?q})
   */
  public record Absolute(String scheme, String authority, String originForm) {
  }

  /**
   * @param http10 the request line says HTTP/1.0 (Host is optional there)
   * @param hosts  every {@code Host} value, as received
   * @param uri    the request target, as on the request line
   * @return why the request's host is refused, or null if it is fine
   */
  public static String violation(boolean http10, List<String> hosts, String uri) {
    if (hosts.size() > 1) {
      return "several Host headers (" + hosts.size() + "): which host the request is for is ambiguous";
    }
    if (hosts.isEmpty() && !http10) {
      return "no Host header: every HTTP/1.1 request needs one";
    }
    if (hosts.size() == 1 && !isValidAuthority(hosts.get(0))) {
      return "invalid Host header " + quote(hosts.get(0));
    }
    Absolute absolute = absolute(uri);
    if (absolute == null) {
      return null;
    }
    String scheme = absolute.scheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return "absolute-form request target with the scheme " + quote(absolute.scheme())
          + ": only http and https are served";
    }
    if (absolute.authority().indexOf('@') >= 0) {
      return "user info in the request target's authority";
    }
    if (!isValidAuthority(absolute.authority())) {
      return "invalid authority " + quote(absolute.authority()) + " in the request target";
    }
    return null;
  }

  /**
   * Splits an absolute-form target ({@code scheme://authority[/path][?query]}); null for any other form (origin
   * form {@code /path}, {@code *}, authority form), which is left as it is.
   */
  public static Absolute absolute(String uri) {
    if (uri == null || uri.isEmpty() || uri.charAt(0) == '/') {
      return null;
    }
    int colon = schemeEnd(uri);
    if (colon < 0 || !uri.startsWith("//", colon + 1)) {
      return null;
    }
    int start = colon + 3;
    int end = start;
    while (end < uri.length() && uri.charAt(end) != '/' && uri.charAt(end) != '?') {
      end++;
    }
    String rest = uri.substring(end);
    String originForm = rest.isEmpty() || rest.charAt(0) == '?' ? "/" + rest : rest;
    return new Absolute(uri.substring(0, colon), uri.substring(start, end), originForm);
  }

  /**
   * True for {@code host [":" port]} with a non-empty host (an IP literal, an IPv4 address or a registered name)
   * and, if present, a port of at most 65535 (it may be empty, as RFC 3986 allows). Commas are refused.
   */
  public static boolean isValidAuthority(String authority) {
    if (authority == null || authority.isEmpty()) {
      return false;
    }
    int hostEnd;
    if (authority.charAt(0) == '[') {
      hostEnd = ipLiteralEnd(authority);
      if (hostEnd < 0) {
        return false;
      }
    } else {
      hostEnd = regNameEnd(authority);
      if (hostEnd == 0) {
        return false;
      }
    }
    if (hostEnd == authority.length()) {
      return true;
    }
    if (authority.charAt(hostEnd) != ':') {
      return false;
    }
    return isPort(authority, hostEnd + 1);
  }

  /** The index of the ':' after a valid scheme ({@code ALPHA *(ALPHA / DIGIT / "+" / "-" / ".")}), or -1. */
  private static int schemeEnd(String uri) {
    if (!isAlpha(uri.charAt(0))) {
      return -1;
    }
    for (int i = 1; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c == ':') {
        return i;
      }
      if (!isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.') {
        return -1;
      }
    }
    return -1;
  }

  /** {@code "[" IPv6address / IPvFuture "]"}, loosely: hex digits, colons and dots between brackets. */
  private static int ipLiteralEnd(String s) {
    int i = 1;
    while (i < s.length() && s.charAt(i) != ']') {
      char c = s.charAt(i);
      if (!isHex(c) && c != ':' && c != '.') {
        return -1;
      }
      i++;
    }
    if (i == s.length() || i == 1) {
      return -1;
    }
    return i + 1;
  }

  /** The end of a registered name or IPv4 address: unreserved, percent-encoded, sub-delims without ','. */
  private static int regNameEnd(String s) {
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (isAlpha(c) || isDigit(c) || "-._~!$&'()*+;=".indexOf(c) >= 0) {
        i++;
      } else if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
        i += 3;
      } else {
        break;
      }
    }
    return i;
  }

  private static boolean isPort(String s, int from) {
    if (s.length() - from > 5) {
      return false;
    }
    int port = 0;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return false;
      }
      port = port * 10 + (c - '0');
    }
    return port <= 65535;
  }

  private static boolean isAlpha(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHex(char c) {
    return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }

  private static String quote(String value) {
    String shown = value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED) + "..." : value;
    return "'" + shown + "'";
  }
}
