package dev.smartgateway.proxy;

import dev.smartgateway.config.GatewayConfig;
import dev.smartgateway.config.ResourceCatalog;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import dev.smartgateway.routing.VirtualUrl;
import dev.smartgateway.routing.VirtualUrlParser;
import dev.smartgateway.server.Http2Rules;
import dev.smartgateway.server.RequestFraming;
import dev.smartgateway.server.RequestTarget;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;

/**
 * Stage 1, what is asked: sound framing and host, the virtual URL (the resource is known from here, even when
 * the rest of the URL is refused), the resource's settings, and a declared body within the limit. Pure checks:
 * nothing is started or held. An absolute-form target ({@code GET http://host/smart_proxy/r/g/x HTTP/1.1}) is
 * read as its origin form, and its authority becomes the request's {@code Host} (RFC 9112 section 3.2.2), so
 * that the VM, {@code X-Forwarded-Host} and {@code Forwarded} all name the host the client asked for.
 */
final class ParseStage {

  private final ResourceCatalog catalog;
  private final long maxBodyBytes;
  private final VirtualUrlParser parser;

  ParseStage(GatewayConfig config, ResourceCatalog catalog) {
    this.catalog = catalog;
    this.maxBodyBytes = config.server().maxBodyBytes();
    this.parser = new VirtualUrlParser(config.server().prefix());
  }

  /** @return true to go on; false if the request was answered (refused) */
  boolean run(ProxyRequest ctx) {
    String violation = framingViolation(ctx);
    if (violation != null) {
      ctx.failAndClose(new GatewayException(ErrorType.BAD_REQUEST, violation));
      return false;
    }
    try {
      String uri = ctx.request.uri();
      RequestTarget.Absolute absolute = RequestTarget.absolute(uri);
      if (absolute != null && ctx.request.version() != HttpVersion.HTTP_2) {
        // The target's authority replaces any Host header; the forwarder sends the request's Host on.
        ctx.request.headers().set(HttpHeaders.HOST, absolute.authority());
        uri = absolute.originForm();
      }
      if (!parser.matches(uri)) {
        throw new GatewayException(ErrorType.NOT_FOUND,
            "not a virtual URL: paths start with /" + parser.prefix() + "/{resource}/{groups}/");
      }
      ctx.originUri = uri;
      ctx.statusUrl = parser.isStatusUrl(uri);
      VirtualUrl url = ctx.statusUrl ? parser.parseStatus(uri) : parser.parse(uri);
      ctx.url = url;
      ctx.resource = url.resource();
      ctx.groups = url.groups();
      ctx.settings = catalog.settingsFor(url.resource());
      checkDeclaredLength(ctx);
      return true;
    } catch (GatewayException e) {
      // The parser puts the resource on its error once it is valid (a bad group, a dot segment after it).
      ctx.fail(e);
      return false;
    }
  }

  /**
   * An HTTP/2 request meets the same rules by {@link Http2Rules} (there is no decoder of ours on HTTP/2).
   * {@code StrictRequestDecoder} refuses ambiguous framing and a missing, repeated or malformed host before a
   * request gets here. Should it not be in place (it warns then), this still refuses what Netty passes on: an
   * HTTP/1.0 request with both lengths, a Transfer-Encoding other than chunked, and every host violation.
   * (A 1.1 request with both lengths arrives here with the length dropped.)
   */
  private static String framingViolation(ProxyRequest ctx) {
    MultiMap headers = ctx.request.headers();
    if (ctx.request.version() == HttpVersion.HTTP_2) {
      return Http2Rules.violation(ctx.request.method(), ctx.request.authority(), headers.getAll(HttpHeaders.HOST),
          ctx.request.uri());
    }
    boolean http10 = ctx.request.version() == HttpVersion.HTTP_1_0;
    String violation = RequestFraming.violation(http10, headers.getAll(HttpHeaders.CONTENT_LENGTH),
        headers.getAll(HttpHeaders.TRANSFER_ENCODING));
    return violation != null ? violation
        : RequestTarget.violation(http10, headers.getAll(HttpHeaders.HOST), ctx.request.uri());
  }

  private void checkDeclaredLength(ProxyRequest ctx) {
    String declared = ctx.request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared == null) {
      return;
    }
    long length;
    try {
      length = Long.parseLong(declared.trim());
    } catch (NumberFormatException e) {
      throw new GatewayException(ErrorType.BAD_REQUEST, "invalid Content-Length", ctx.resource);
    }
    long limit = maxBodyBytes;
    if (length > limit) {
      throw new GatewayException(ErrorType.BODY_TOO_LARGE, "the body (" + length + " bytes) is over the limit of "
          + limit + " bytes", ctx.resource);
    }
  }
}
