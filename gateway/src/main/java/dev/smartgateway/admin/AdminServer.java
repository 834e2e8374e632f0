package dev.smartgateway.admin;

import dev.smartgateway.config.AdminConfig;
import dev.smartgateway.config.ConfigException;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import dev.smartgateway.tls.CertificateReloader;
import dev.smartgateway.tls.PemKeyPair;
import dev.smartgateway.tls.TlsListeners;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The admin listener (DESIGN section 9), beside the public one: a bearer token (constant-time), optional
 * TLS, JSON in and out, problem+json errors, and the routes of the handlers it is given. On one event loop of
 * its own: operators' calls never queue behind traffic, nor traffic behind them.
 */
final class AdminServer extends VerticleBase {

  /** Bodies of admin calls (resource settings, a fan-out's request) are small. */
  static final long MAX_BODY = 1 << 20;

  private final AdminConfig config;
  private final BearerAuth auth;
  private final List<Consumer<Router>> routes;
  private HttpServer server;
  private Router router;
  private CertificateReloader reloader;

  AdminServer(AdminConfig config, List<Consumer<Router>> routes) {
    this.config = config;
    this.auth = BearerAuth.of(config);
    this.routes = routes;
    if (auth.isOpen() && !isLoopback(config.host())) {
      throw new ConfigException("admin.host", "the admin listener on " + config.host() + " needs a token: set admin.tokenFile"
          + " or admin.tokenEnv (without one it only listens on loopback, e.g. 127.0.0.1)");
    }
  }

  boolean isOpen() {
    return auth.isOpen();
  }

  @Override
  public Future<?> start() {
    router = Router.router(vertx);
    // Before anything else, the console's files included: a page elsewhere must not drive the API through a browser.
    router.route().handler(new CrossSiteGuard(auth.isOpen()));
    Buffer openapi = openapi();
    router.get("/admin/openapi.yaml").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/yaml").end(openapi));
    router.route("/admin/*").handler(auth);
    router.route("/metrics").handler(auth);
    router.route("/admin/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
    routes.forEach(r -> r.accept(router));
    router.errorHandler(404, ctx -> AdminProblems.respond(ctx, ErrorType.NOT_FOUND,
        "no admin route " + ctx.request().path() + " (the routes are listed in /admin/openapi.yaml)"));
    router.errorHandler(405, ctx -> AdminProblems.respond(ctx, ErrorType.METHOD_NOT_ALLOWED,
        ctx.request().method() + " is not allowed on " + ctx.request().path()));
    router.errorHandler(413, ctx -> AdminProblems.respond(ctx, ErrorType.BODY_TOO_LARGE,
        "admin request bodies are limited to " + MAX_BODY + " bytes"));
    router.errorHandler(400, ctx -> AdminProblems.respond(ctx, new GatewayException(ErrorType.BAD_REQUEST,
        ctx.failure() == null ? "bad request" : String.valueOf(ctx.failure().getMessage()))));
    router.errorHandler(500, ctx -> AdminResponses.failure(ctx, ctx.failure() == null
        ? new IllegalStateException("internal error") : ctx.failure()));
    HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port());
    if (!config.isTls()) {
      server = vertx.createHttpServer(options).requestHandler(router);
      return server.listen();
    }
    // The same loader and reloader as the public listener's; HTTP/1.1 only (operators' tools, no ALPN needed).
    return vertx.executeBlocking(() -> PemKeyPair.load(vertx, config.tls()), false).compose(pair -> {
      server = vertx.createHttpServer(TlsListeners.secure(options, pair, false)).requestHandler(router);
      return server.listen().onSuccess(s -> reloader = new CertificateReloader(vertx, config.tls(), s, pair).start());
    });
  }

  @Override
  public Future<?> stop() {
    if (reloader != null) {
      reloader.close();
    }
    return Future.succeededFuture();
  }

  int actualPort() {
    return server.actualPort();
  }

  /**
   * The operations this listener serves, as {@code METHOD path} in Vert.x Web's form
   * ({@code GET /admin/resources/:name}), in the order they were mounted: every route bound to methods.
   * The handlers that run for every method (bearer token, body) are not operations and are left out.
   */
  List<String> routes() {
    List<String> out = new ArrayList<>();
    for (Route route : router.getRoutes()) {
      if (route.methods() != null && route.getPath() != null) {
        route.methods().forEach(method -> out.add(method.name() + " " + route.getPath()));
      }
    }
    return out;
  }

  private static Buffer openapi() {
    try (InputStream in = AdminServer.class.getResourceAsStream("/admin/openapi.yaml")) {
      return in == null ? Buffer.buffer("openapi: 3.1.0\n") : Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean isLoopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    try {
      // Literal addresses only: a name is not resolved here (it could resolve differently later).
      if (host.chars().allMatch(c -> Character.isDigit(c) || c == '.') || host.contains(":")) {
        return InetAddress.getByName(host).isLoopbackAddress();
      }
    } catch (UnknownHostException e) {
      return false;
    }
    return false;
  }
}
