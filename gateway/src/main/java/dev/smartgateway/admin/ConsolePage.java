package dev.smartgateway.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code /console}: the live console (DESIGN section 9), one page and its script and style sheet, read from
 * the jar once. The page holds no data, so it needs no token: every call it makes goes to the admin API with
 * the operator's token. Its links are relative ({@code console/console.js}, {@code admin/...}), so it works
 * behind a proxy that adds a path prefix too. Files revalidate by their ETag ({@code no-cache}: a new jar is seen at once, an
 * unchanged file costs a 304); the page only runs scripts of its own origin ({@link #POLICY}).
 */
final class ConsolePage {

  /** Own-origin scripts, styles and calls only; no inline script, no framing, no form posts elsewhere. */
  static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self';"
      + " img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none';"
      + " require-trusted-types-for 'script'";

  private final Asset page = Asset.of("index.html", "text/html; charset=utf-8");
  private final Asset script = Asset.of("console.js", "text/javascript; charset=utf-8");
  private final Asset styles = Asset.of("console.css", "text/css; charset=utf-8");

  void mount(Router router) {
    router.get("/console").handler(ctx -> {
      if (ctx.request().path().endsWith("/")) {
        // The router takes /console/ for /console; there the page's relative links would miss its files.
        ctx.response().setStatusCode(308).putHeader(HttpHeaders.LOCATION, "../console").end();
      } else {
        serve(ctx, page);
      }
    });
    router.get("/console/console.js").handler(ctx -> serve(ctx, script));
    router.get("/console/console.css").handler(ctx -> serve(ctx, styles));
  }

  private static void serve(RoutingContext ctx, Asset asset) {
    var response = ctx.response()
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader(HttpHeaders.ETAG, asset.etag())
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
    if (asset.type().startsWith("text/html")) {
      response.putHeader("Content-Security-Policy", POLICY);
    }
    if (asset.etag().equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
      response.setStatusCode(304).end();
      return;
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, asset.type()).end(asset.body());
  }

  /** A file of the console as it is in the jar, with its media type and a strong ETag of its bytes. */
  private record Asset(Buffer body, String type, String etag) {

    static Asset of(String name, String type) {
      try (InputStream in = ConsolePage.class.getResourceAsStream("/console/" + name)) {
        if (in == null) {
          throw new IllegalStateException("the jar has no /console/" + name);
        }
        byte[] bytes = in.readAllBytes();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
        return new Asset(Buffer.buffer(bytes), type, "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"");
      } catch (IOException | NoSuchAlgorithmException e) {
        throw new IllegalStateException("cannot read /console/" + name, e);
      }
    }
  }
}
