package dev.smartgateway.admin;

import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import dev.smartgateway.error.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Errors of the admin API: always {@code application/problem+json} (RFC 9457), never an HTML page: its
 * callers are programs and the console.
 */
public final class AdminProblems {

  public static final String PROBLEM_JSON = "application/problem+json";

  private AdminProblems() {
  }

  public static void respond(RoutingContext ctx, ErrorType type, String detail) {
    respond(ctx, new GatewayException(type, detail));
  }

  public static void respond(RoutingContext ctx, GatewayException error) {
    respond(ctx, error, null);
  }

  /** With {@code errors}: one entry per problem found ({@code key}, {@code reason}), for settings refused. */
  public static void respond(RoutingContext ctx, GatewayException error, JsonArray errors) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      if (!response.ended()) {
        ctx.request().connection().close();
      }
      return;
    }
    Problem problem = error.toProblem();
    JsonObject body = problem.toJson();
    if (errors != null) {
      body.put("errors", errors);
    }
    response.setStatusCode(problem.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM_JSON)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    if (error.retryAfter() != null) {
      response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, error.retryAfter().toSeconds())));
    }
    if (error.type() == ErrorType.UNAUTHORIZED) {
      response.putHeader("WWW-Authenticate", "Bearer realm=\"smart-gateway-admin\"");
    }
    response.end(body.toBuffer());
  }
}
