package dev.smartgateway.proxy;

import dev.smartgateway.config.GatewayConfig;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import dev.smartgateway.routing.VirtualUrl;
import dev.smartgateway.routing.VirtualUrlParser;
import dev.smartgateway.server.RequestFraming;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;

/**
 * Stage 1, what is asked: sound framing, the virtual URL (the resource is known from here, even when the rest
 * of the URL is refused), the resource's settings, and a declared body within the limit. Pure checks: nothing
 * is started or held.
 */
final class ParseStage {

  private final GatewayConfig config;
  private final VirtualUrlParser parser;

  ParseStage(GatewayConfig config) {
    this.config = config;
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
      if (!parser.matches(uri)) {
        throw new GatewayException(ErrorType.NOT_FOUND,
            "not a virtual URL: paths start with /" + parser.prefix() + "/{resource}/{groups}/");
      }
      VirtualUrl url = parser.parse(uri);
      ctx.url = url;
      ctx.resource = url.resource();
      ctx.groups = url.groups();
      ctx.settings = config.settingsFor(url.resource());
      checkDeclaredLength(ctx);
      return true;
    } catch (GatewayException e) {
      // The parser puts the resource on its error once it is valid (a bad group, a dot segment after it).
      ctx.fail(e);
      return false;
    }
  }

  /**
   * {@code StrictRequestDecoder} refuses ambiguous framing before a request gets here. Should it not be in
   * place (it warns then), this still refuses what Netty passes on: an HTTP/1.0 request with both lengths, a
   * Transfer-Encoding other than chunked. (A 1.1 request with both arrives here with the length dropped.)
   */
  private static String framingViolation(ProxyRequest ctx) {
    if (ctx.request.version() == HttpVersion.HTTP_2) {
      return null;
    }
    MultiMap headers = ctx.request.headers();
    return RequestFraming.violation(ctx.request.version() == HttpVersion.HTTP_1_0,
        headers.getAll(HttpHeaders.CONTENT_LENGTH), headers.getAll(HttpHeaders.TRANSFER_ENCODING));
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
    long limit = config.server().maxBodyBytes();
    if (length > limit) {
      throw new GatewayException(ErrorType.BODY_TOO_LARGE, "the body (" + length + " bytes) is over the limit of "
          + limit + " bytes", ctx.resource);
    }
  }
}
