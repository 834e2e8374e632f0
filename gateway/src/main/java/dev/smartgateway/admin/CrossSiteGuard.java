package dev.smartgateway.admin;

import dev.smartgateway.error.ErrorType;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.Handler;

import java.net.URI;
import java.util.Locale;

/**
 * Keeps web pages the operator happens to visit from using the admin API through the operator's browser. With a
 * token that is already so (a page cannot add an {@code Authorization} header to another site's request without
 * a CORS preflight, which this listener never grants); without one — allowed on loopback only — a page could still
 * send a simple cross-site POST (start or stop a VM), or read the API after pointing a name of its own at
 * 127.0.0.1 (DNS rebinding). So: a request a browser marks as cross-site ({@code Sec-Fetch-Site}) is refused; a
 * change ({@code POST}, {@code PUT}, {@code DELETE}) whose {@code Origin} is not this listener's own is refused;
 * and, on an open (tokenless) listener, a {@code Host} that is not a loopback address or {@code localhost} is
 * refused. Programs (curl, scripts, Prometheus) send none of these headers and are not affected.
 */
final class CrossSiteGuard implements Handler<RoutingContext> {

  private final boolean open;

  CrossSiteGuard(boolean open) {
    this.open = open;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String refused = refusal(ctx.request().method(), ctx.request().getHeader("Host"),
        ctx.request().getHeader("Origin"), ctx.request().getHeader("Sec-Fetch-Site"), open);
    if (refused != null) {
      AdminProblems.respond(ctx, ErrorType.FORBIDDEN, refused);
      return;
    }
    ctx.next();
  }

  /** Why the request is refused, or null. Pure: the rules above. */
  static String refusal(HttpMethod method, String host, String origin, String fetchSite, boolean open) {
    if ("cross-site".equalsIgnoreCase(fetchSite)) {
      return "the admin API does not answer requests a browser sends on behalf of another site";
    }
    if (open && host != null && !isLoopbackHost(hostOnly(host))) {
      return "without an admin token the admin API only answers requests addressed to a loopback address (Host: "
          + host + ")";
    }
    boolean change = method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS;
    if (change && origin != null && !sameOrigin(origin, host)) {
      return "a change from another origin (" + origin + ") is refused";
    }
    return null;
  }

  private static boolean sameOrigin(String origin, String host) {
    if (host == null) {
      return false;
    }
    try {
      URI uri = URI.create(origin);
      String authority = uri.getRawAuthority();
      return authority != null && authority.equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String hostOnly(String host) {
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end > 0 ? host.substring(1, end) : host;
    }
    int colon = host.lastIndexOf(':');
    return colon > 0 && host.indexOf(':') == colon ? host.substring(0, colon) : host;
  }

  private static boolean isLoopbackHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("::1") || h.matches("127(\\.\\d{1,3}){3}");
  }
}
