package dev.smartgateway.admin;

import java.util.Locale;
import java.util.Set;

/**
 * Which request headers a fan-out may send. The HTTP client frames each request itself and the gateway
 * sets the hop-by-hop ones per connection, so a caller's {@code Host}, {@code Content-Length},
 * {@code Transfer-Encoding}, {@code Connection} and the like could only contradict them (or smuggle a
 * second request past the framing): they are refused, not silently dropped.
 */
final class RequestHeaders {

  /** Framing and hop-by-hop headers (RFC 9110 section 7.6.1), plus the ones that change how a request is framed. */
  static final Set<String> REFUSED = Set.of("host", "connection", "content-length", "transfer-encoding",
      "keep-alive", "proxy-connection", "te", "trailer", "upgrade", "expect", "proxy-authorization",
      "proxy-authenticate", "http2-settings");

  private RequestHeaders() {
  }

  /** Why this header cannot be sent, or null if it can. */
  static String problemWithName(String name) {
    if (!isToken(name)) {
      return "not a header name (an RFC 9110 token)";
    }
    if (REFUSED.contains(name.toLowerCase(Locale.ROOT))) {
      return "a hop-by-hop or framing header: the client and the gateway set it for each request";
    }
    return null;
  }

  /** Why this value cannot be sent, or null if it can: visible characters, spaces and tabs only, no line breaks. */
  static String problemWithValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
        return "contains a control character or a character outside ISO-8859-1 at " + i;
      }
    }
    return null;
  }

  /** An RFC 9110 token: method names and header names. */
  static boolean isToken(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }
}
