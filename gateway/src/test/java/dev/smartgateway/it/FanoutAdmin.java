package dev.smartgateway.it;

import dev.smartgateway.admin.Fanout;
import dev.smartgateway.admin.PublicEndpoint;
import dev.smartgateway.config.AdminConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

import static dev.smartgateway.it.Harness.await;

/**
 * {@link Fanout} mounted on a small admin listener of its own (a Router with a 1 MiB {@code BodyHandler}, as
 * the real admin listener has) on 127.0.0.1, pointed at a gateway's public listener.
 */
final class FanoutAdmin implements AutoCloseable {

  static final String PATH = "/admin/fanout";

  final Fanout fanout;
  private final HttpServer server;

  private FanoutAdmin(Fanout fanout, HttpServer server) {
    this.fanout = fanout;
    this.server = server;
  }

  /** The default admin limits, the known resource names given. */
  static FanoutAdmin start(Vertx vertx, int gatewayPort, List<String> known) {
    return start(vertx, AdminConfig.defaults(), gatewayPort, () -> Future.succeededFuture(known));
  }

  static FanoutAdmin start(Vertx vertx, AdminConfig limits, int gatewayPort,
                           Supplier<Future<Collection<String>>> known) {
    Fanout fanout = new Fanout(vertx, limits, new PublicEndpoint("0.0.0.0", gatewayPort, "smart_proxy"), known);
    Router router = Router.router(vertx);
    router.post(PATH).handler(BodyHandler.create().setBodyLimit(1 << 20)).handler(fanout::handle);
    HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    return new FanoutAdmin(fanout, server);
  }

  int port() {
    return server.actualPort();
  }

  /** Opens a fan-out and reads its response head. */
  NdjsonStream post(String json) {
    return NdjsonStream.post(port(), PATH, json);
  }

  @Override
  public void close() {
    await(fanout.close().eventually(server::close));
  }
}
