package dev.smartgateway.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which headers cross the gateway and which it adds. Pure functions over {@link MultiMap}s, no regex, no
 * per-header allocation: this runs for every forwarded request and response.
 *
 * <p>Removed in both directions: the hop-by-hop headers of RFC 9110 section 7.6.1 (plus {@code Keep-Alive},
 * {@code Proxy-Connection} and {@code HTTP2-Settings}), every header named in {@code Connection}, and
 * every {@code X-Smart-Gateway-*} header: that name space belongs to the gateway, so neither a client nor a
 * VM can forge it.
 */
public final class HeaderRules {

  /** The groups the caller was admitted with, sent to the VM. */
  public static final String GROUPS = "X-Smart-Gateway-Groups";
  /** The subject ({@code sub}) of the caller's verified bearer token ({@code access.groups: jwt}), sent to the VM. */
  public static final String SUBJECT = "X-Smart-Gateway-Subject";
  public static final String X_FORWARDED_FOR = "X-Forwarded-For";
  public static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";
  public static final String X_FORWARDED_HOST = "X-Forwarded-Host";
  public static final String X_FORWARDED_PREFIX = "X-Forwarded-Prefix";
  public static final String FORWARDED = "Forwarded";
  public static final String X_REAL_IP = "X-Real-IP";
  private static final String X_FORWARDED = "X-Forwarded-";

  private static final String GATEWAY_PREFIX = "x-smart-gateway-";
  private static final String COOKIE = "cookie";
  private static final String TE = "te";
  private static final String TRAILERS = "trailers";

  private HeaderRules() {
  }

  /**
   * A value that is safe in a header whatever it came from: printable ASCII as is, every other character (controls,
   * non-ASCII) and {@code %} itself as percent-encoded UTF-8, so a VM can decode it and nothing can break the head.
   */
  public static String printable(String value) {
    boolean plain = true;
    for (int i = 0; plain && i < value.length(); i++) {
      char c = value.charAt(i);
      plain = c >= 0x20 && c < 0x7f && c != '%';
    }
    if (plain) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** True for a header that describes one connection and must never be forwarded as is. */
  public static boolean isHopByHop(CharSequence name) {
    String n = name.toString();
    switch (n.length()) {
      case 2:
        return n.equalsIgnoreCase("te");
      case 7:
        return n.equalsIgnoreCase("trailer") || n.equalsIgnoreCase("upgrade");
      case 10:
        return n.equalsIgnoreCase("connection") || n.equalsIgnoreCase("keep-alive");
      case 14:
        return n.equalsIgnoreCase("http2-settings");
      case 16:
        return n.equalsIgnoreCase("proxy-connection");
      case 17:
        return n.equalsIgnoreCase("transfer-encoding");
      case 18:
        return n.equalsIgnoreCase("proxy-authenticate");
      case 19:
        return n.equalsIgnoreCase("proxy-authorization");
      default:
        return false;
    }
  }

  /** True for {@code X-Smart-Gateway-*}, in any letter case. */
  public static boolean isGatewayHeader(CharSequence name) {
    String n = name.toString();
    return n.length() > GATEWAY_PREFIX.length() && n.regionMatches(true, 0, GATEWAY_PREFIX, 0, GATEWAY_PREFIX.length());
  }

  /**
   * True if the comma-separated {@code list} (a {@code Connection} header value, several values joined by
   * commas) names {@code name}, ignoring case and optional white space.
   */
  public static boolean listsToken(String list, CharSequence name) {
    if (list == null) {
      return false;
    }
    String n = name.toString();
    int len = n.length();
    int i = 0;
    int end = list.length();
    while (i < end) {
      char c = list.charAt(i);
      if (c == ',' || c == ' ' || c == '\t') {
        i++;
        continue;
      }
      int start = i;
      while (i < end && list.charAt(i) != ',') {
        i++;
      }
      int stop = i;
      while (stop > start && (list.charAt(stop - 1) == ' ' || list.charAt(stop - 1) == '\t')) {
        stop--;
      }
      if (stop - start == len && list.regionMatches(true, start, n, 0, len)) {
        return true;
      }
    }
    return false;
  }

  /** All values of {@code Connection}, joined by commas; null when there is none (the common case). */
  static String connectionTokens(MultiMap headers) {
    return joined(headers, HttpHeaders.CONNECTION);
  }

  /** Copies the end-to-end headers of a message (request or response) from {@code from} to {@code to}. */
  public static void copyEndToEnd(MultiMap from, MultiMap to) {
    String connection = connectionTokens(from);
    for (Map.Entry<String, String> header : from) {
      String name = header.getKey();
      if (isHopByHop(name) || isGatewayHeader(name) || (connection != null && listsToken(connection, name))) {
        continue;
      }
      to.add(name, header.getValue());
    }
  }

  /**
   * The HTTP/2 to HTTP/1.1 steps of a request's headers, after {@link #copyEndToEnd}. HTTP/2 may split
   * {@code cookie} into one field per cookie (RFC 9113 section 8.2.3), HTTP/1.1 allows one {@code Cookie} line:
   * they are joined with {@code "; "}.
   */
  public static void fromHttp2(MultiMap to) {
    List<String> cookies = to.getAll(COOKIE);
    if (cookies.size() > 1) {
      to.set(COOKIE, String.join("; ", cookies));
    }
  }

  /**
   * {@code TE} is hop-by-hop and dropped with the rest, but one value of it says something about the
   * client rather than the connection: {@code trailers}, "I read trailer fields" (on HTTP/2 the only value it may
   * have; gRPC relies on it). The gateway passes trailers on, so when the client sent it the VM is told
   * {@code TE: trailers}, listed in {@code Connection} as HTTP/1.1 wants of a hop-by-hop header.
   *
   * @param from the client's request headers
   * @param to   the request to the VM, its end-to-end headers already copied
   */
  public static void passTrailersAcceptance(MultiMap from, MultiMap to) {
    String te = joined(from, TE);
    if (te != null && listsToken(te, TRAILERS)) {
      to.set(TE, TRAILERS);
      to.set(HttpHeaders.CONNECTION, TE);
    }
  }

  /**
   * Puts every header of {@code extra} into {@code to}, replacing values {@code to} already has under those
   * names (unlike {@link MultiMap#setAll(MultiMap)}, which clears {@code to} first). Null or empty: no-op.
   */
  public static void putAll(MultiMap extra, MultiMap to) {
    if (extra == null || extra.isEmpty()) {
      return;
    }
    for (String name : extra.names()) {
      to.set(name, extra.getAll(name));
    }
  }

  /**
   * Adds the forwarding headers to a request going to a VM whose end-to-end headers were already copied.
   * What the client sent under these names is only believed from a trusted proxy ({@code server.trustedProxies}):
   * <ul>
   *   <li>from anyone else, every {@code X-Forwarded-*}, {@code Forwarded} and {@code X-Real-IP} it sent is
   *       dropped and the gateway's own are set, so a client cannot pass itself off as another address,
   *       scheme or host;</li>
   *   <li>from a trusted proxy, {@code X-Forwarded-For} and {@code Forwarded} are appended to (the chain of
   *       proxies stays visible), its {@code X-Forwarded-Proto} and {@code -Host} are kept (they describe what
   *       the original client asked the proxy) and set only if it sent none, and its
   *       {@code X-Forwarded-Prefix} is put in front of the gateway's own.</li>
   * </ul>
   *
   * @param clientIp the peer address of the client connection (an IPv6 literal without brackets)
   * @param proto {@code http} or {@code https}
   * @param host the client's {@code Host} (or HTTP/2 authority); null if it sent none
   * @param prefix the path prefix the VM's paths are mounted under at the gateway; null or empty for none
   * @param fromTrustedProxy whether the peer is a trusted proxy
   */
  public static void addForwarded(MultiMap to, String clientIp, String proto, String host, String prefix,
                                  boolean fromTrustedProxy) {
    String theirPrefix = null;
    if (fromTrustedProxy) {
      theirPrefix = to.get(X_FORWARDED_PREFIX);
    } else {
      removeForwarding(to);
    }
    String xff = joined(to, X_FORWARDED_FOR);
    to.set(X_FORWARDED_FOR, xff == null ? clientIp : xff + ", " + clientIp);
    if (!fromTrustedProxy || !to.contains(X_FORWARDED_PROTO)) {
      to.set(X_FORWARDED_PROTO, proto);
    }
    if (!fromTrustedProxy || !to.contains(X_FORWARDED_HOST)) {
      if (host != null) {
        to.set(X_FORWARDED_HOST, host);
      } else {
        to.remove(X_FORWARDED_HOST);
      }
    }
    String fullPrefix = joinPrefixes(theirPrefix, prefix);
    if (fullPrefix != null) {
      to.set(X_FORWARDED_PREFIX, fullPrefix);
    } else {
      to.remove(X_FORWARDED_PREFIX);
    }
    String element = forwardedElement(clientIp, proto, host);
    String forwarded = joined(to, FORWARDED);
    to.set(FORWARDED, forwarded == null ? element : forwarded + ", " + element);
  }

  /** Every header that claims where a request came from: none of them may come from an untrusted client. */
  static void removeForwarding(MultiMap headers) {
    List<String> names = null;
    for (String name : headers.names()) {
      if (name.regionMatches(true, 0, X_FORWARDED, 0, X_FORWARDED.length()) || name.equalsIgnoreCase(FORWARDED)
          || name.equalsIgnoreCase(X_REAL_IP)) {
        if (names == null) {
          names = new ArrayList<>(4);
        }
        names.add(name);
      }
    }
    if (names != null) {
      names.forEach(headers::remove);
    }
  }

  private static String joinPrefixes(String outer, String inner) {
    boolean hasOuter = outer != null && !outer.isEmpty() && !outer.equals("/");
    boolean hasInner = inner != null && !inner.isEmpty();
    if (!hasOuter) {
      return hasInner ? inner : null;
    }
    String trimmed = outer.endsWith("/") ? outer.substring(0, outer.length() - 1) : outer;
    return hasInner ? trimmed + inner : trimmed;
  }

  /** One RFC 7239 element: {@code for=192.0.2.1;proto=http;host=example.com}, IPv6 as {@code for="[::1]"}. */
  public static String forwardedElement(String clientIp, String proto, String host) {
    StringBuilder out = new StringBuilder(48);
    out.append("for=");
    if (clientIp.indexOf(':') >= 0) {
      out.append("\"[").append(clientIp).append("]\"");
    } else {
      appendValue(out, clientIp);
    }
    out.append(";proto=").append(proto);
    if (host != null) {
      out.append(";host=");
      appendValue(out, host);
    }
    return out.toString();
  }

  /** True for a request asking to switch the connection to the WebSocket protocol. */
  public static boolean isWebSocketUpgrade(MultiMap headers) {
    String upgrade = headers.get(HttpHeaders.UPGRADE);
    return upgrade != null && upgrade.equalsIgnoreCase("websocket")
        && listsToken(connectionTokens(headers), HttpHeaders.UPGRADE);
  }

  /** All values of a header, joined by commas; null when there is none. */
  static String joinedValues(MultiMap headers, CharSequence name) {
    return joined(headers, name);
  }

  private static String joined(MultiMap headers, CharSequence name) {
    if (!headers.contains(name)) {
      return null;
    }
    List<String> values = headers.getAll(name);
    return values.size() == 1 ? values.get(0) : String.join(", ", values);
  }

  /** Appends a token as is, anything else as an RFC 7230 quoted-string (a host with a port has a colon). */
  private static void appendValue(StringBuilder out, String value) {
    boolean token = !value.isEmpty();
    for (int i = 0; token && i < value.length(); i++) {
      token = isTokenChar(value.charAt(i));
    }
    if (token) {
      out.append(value);
      return;
    }
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    out.append('"');
  }

  private static boolean isTokenChar(char c) {
    if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
      return true;
    }
    return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
