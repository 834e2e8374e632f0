package dev.smartgateway.server;

import java.util.List;
import java.util.Locale;

/**
 * Where a request body ends must be beyond doubt, or the gateway and the VM could disagree on it and bytes
 * of one request could be read as another (request smuggling). So the gateway is stricter than RFC 9112
 * requires: a {@code Transfer-Encoding} is accepted only alone, only in HTTP/1.1 and only as exactly
 * {@code chunked} (other codings cannot be re-framed towards the VM without decoding them). Several or
 * invalid {@code Content-Length} values are refused by the HTTP decoder itself.
 */
public final class RequestFraming {

  private RequestFraming() {
  }

  /**
   * @param http10            the request line says HTTP/1.0
   * @param contentLengths    every {@code Content-Length} value, as received
   * @param transferEncodings every {@code Transfer-Encoding} value, as received
   * @return why the framing is refused, or null if it is fine
   */
  public static String violation(boolean http10, List<String> contentLengths, List<String> transferEncodings) {
    if (transferEncodings.isEmpty()) {
      return null;
    }
    if (!contentLengths.isEmpty()) {
      return "Content-Length together with Transfer-Encoding: the body length is ambiguous";
    }
    if (http10) {
      return "Transfer-Encoding in an HTTP/1.0 request";
    }
    if (transferEncodings.size() != 1 || !transferEncodings.get(0).trim().toLowerCase(Locale.ROOT).equals("chunked")) {
      return "unsupported Transfer-Encoding (only 'chunked' is accepted)";
    }
    return null;
  }
}
