package dev.smartgateway.admin;

import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers of the admin API: JSON, never cached; failures as problem+json. */
final class AdminResponses {

  private static final Logger log = LoggerFactory.getLogger("dev.smartgateway.admin");

  private AdminResponses() {
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.toBuffer());
  }

  /** A lifecycle refusal keeps its own problem type (404, 409, 503 instance-limit ...); anything else is a 500. */
  static void failure(RoutingContext ctx, Throwable err) {
    if (err instanceof GatewayException problem) {
      AdminProblems.respond(ctx, problem);
    } else {
      storeFailure(ctx, err);
    }
  }

  /** The store could not be read or written: 503, and nothing was changed. */
  static void storeFailure(RoutingContext ctx, Throwable err) {
    if (err instanceof GatewayException problem) {
      AdminProblems.respond(ctx, problem);
      return;
    }
    log.warn("admin {} {}: the store failed: {}", ctx.request().method(), ctx.request().path(), err.toString());
    AdminProblems.respond(ctx, new GatewayException(ErrorType.STORE_UNAVAILABLE, "the store failed: " + err.getMessage(),
        null, java.time.Duration.ofSeconds(5), err));
  }
}
