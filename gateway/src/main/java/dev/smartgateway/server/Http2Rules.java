package dev.smartgateway.server;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.HostAndPort;

import java.util.List;

/**
 * The rules an HTTP/1 request head meets in {@link StrictRequestDecoder}, for an HTTP/2 request (RFC 9113
 * section 8.3), so that a request is not treated otherwise for coming over HTTP/2. Its framing needs nothing of
 * ours: frames delimit the body, a {@code Content-Length} that disagrees with them is a stream error, and
 * {@code Transfer-Encoding}, {@code Connection} and the like are refused by the HTTP/2 decoder itself. What is
 * left is where the request goes:
 * <ul>
 *   <li>an authority is required ({@code :authority}, or a {@code Host} header), as {@code Host} is on HTTP/1.1,
 *       and it is validated like one ({@link RequestTarget#isValidAuthority});</li>
 *   <li>at most one {@code Host} header (which must then agree with {@code :authority}; Vert.x checks that);</li>
 *   <li>a {@code :path} in origin form ({@code /...}) or {@code *}; CONNECT (a tunnel) is not served.</li>
 * </ul>
 */
public final class Http2Rules {

  private Http2Rules() {
  }

  /**
   * @param authority the request's {@code :authority} (or its {@code Host} without one), as Vert.x parsed it; null
   *                  when it sent neither
   * @param hosts     every {@code Host} header value
   * @param path      the {@code :path}; null for CONNECT
   * @return why the request is refused, or null if it is fine
   */
  public static String violation(HttpMethod method, HostAndPort authority, List<String> hosts, String path) {
    if (method == HttpMethod.CONNECT) {
      return "CONNECT is not served here: the gateway is no tunnel";
    }
    if (authority == null) {
      return "no :authority (nor Host): every request needs one";
    }
    if (hosts.size() > 1) {
      return "several Host headers (" + hosts.size() + "): which host the request is for is ambiguous";
    }
    String written = authority.port() >= 0 ? authority.host() + ":" + authority.port() : authority.host();
    if (authority.host().indexOf(':') >= 0 && !authority.host().startsWith("[")) {
      written = "[" + authority.host() + "]" + (authority.port() >= 0 ? ":" + authority.port() : "");
    }
    if (!RequestTarget.isValidAuthority(written)) {
      return "invalid :authority '" + written + "'";
    }
    if (path == null || path.isEmpty() || (path.charAt(0) != '/' && !path.equals("*"))) {
      return "the :path must be in origin form (/...)";
    }
    return null;
  }
}
