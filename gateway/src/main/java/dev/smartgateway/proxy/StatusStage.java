package dev.smartgateway.proxy;

import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import dev.smartgateway.error.ProblemResponder;
import dev.smartgateway.lifecycle.LifecycleManager;
import dev.smartgateway.lifecycle.StartStatus;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Instead of acquire and forward, for the status URL {@code GET /{prefix}/_status/{resource}/{groups}}: how the
 * start of a VM for that caller is going, as JSON, for the waiting page's script (and anyone curious).
 *
 * <p>Asking is not a request for the VM: it starts nothing, takes no lease and touches no idle clock, so a tab
 * left polling for days neither keeps a VM alive nor restarts it; only loading the virtual URL itself does. It
 * passes the same parse and access stages as the virtual URL (a caller refused there learns nothing here), and
 * is answered from the lifecycle's state alone, one read on its control context.
 */
final class StatusStage {

  private final LifecycleManager lifecycle;

  StatusStage(LifecycleManager lifecycle) {
    this.lifecycle = lifecycle;
  }

  /** Completes, never fails, once the request is answered. */
  Future<Void> run(ProxyRequest ctx) {
    HttpMethod method = ctx.request.method();
    if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
      ctx.request.response().putHeader(HttpHeaders.ALLOW, "GET, HEAD");
      ctx.fail(new GatewayException(ErrorType.METHOD_NOT_ALLOWED, "the status URL answers GET and HEAD only",
          ctx.resource));
      return Future.succeededFuture();
    }
    String length = ctx.request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (ctx.request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || length != null && !length.trim().equals("0")) {
      ctx.fail(new GatewayException(ErrorType.BAD_REQUEST, "the status URL takes no request body", ctx.resource));
      return Future.succeededFuture();
    }
    return lifecycle.status(ctx.resource, ctx.groups).transform(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause() instanceof GatewayException ge ? ge
            : new GatewayException(ErrorType.BACKEND_FAILED, ar.cause().toString(), ctx.resource, null, ar.cause()));
      } else if (!ctx.request.response().closed()) {
        Buffer body = toJson(ar.result()).toBuffer();
        ctx.request.response()
            .setStatusCode(200)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
            .putHeader("X-Content-Type-Options", "nosniff")
            .end(body);
        ctx.status = 200;
        ctx.bytesOut = ProblemResponder.bodyBytesSent(ctx.request, body.length());
      } else {
        ctx.clientClosed("the client closed the connection before its status");
      }
      return Future.succeededFuture();
    });
  }

  /**
   * {@code {"resource","groups":[...],"phase","elapsedMs","typicalMs"|null,"error":{type,title,status,detail}|null,
   * "retryAfterSeconds"|null}}.
   */
  static JsonObject toJson(StartStatus s) {
    GatewayException error = s.error();
    return new JsonObject()
        .put("resource", s.resource())
        .put("groups", new JsonArray(new java.util.ArrayList<>(s.groups().asSet().stream().sorted().toList())))
        .put("phase", s.phase().wire())
        .put("elapsedMs", s.elapsedMs())
        .put("typicalMs", s.typicalMs())
        .put("error", error == null ? null : new JsonObject()
            .put("type", error.type().typeUri())
            .put("title", error.type().title())
            .put("status", error.type().status())
            .put("detail", error.detail()))
        .put("retryAfterSeconds", s.retryAfter() == null ? null : WaitingPage.seconds(s.retryAfter()));
  }
}
