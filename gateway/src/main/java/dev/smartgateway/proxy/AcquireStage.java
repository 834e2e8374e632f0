package dev.smartgateway.proxy;

import dev.smartgateway.config.ResourceSettings;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import dev.smartgateway.error.ProblemResponder;
import dev.smartgateway.lifecycle.Lease;
import dev.smartgateway.lifecycle.LifecycleManager;
import dev.smartgateway.lifecycle.StartPhase;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.time.Duration;

/**
 * Stage 3, a VM to send to: a lease at once on the warm path; else a client the resource's
 * {@code ignoreUserAgents} names gets 503 {@code not-started} (it never wakes a VM), a browser gets the waiting
 * page (or, if its VM cannot come, the failure page from the same template), and anything else is held (paused, body unread) until a VM is ready or the wait fails. The time held is
 * measured here, around the wait, so a wait that fails (504, 502, 503, the client leaving) is logged with it.
 */
final class AcquireStage {

  /** When a client that does not wake VMs may look again: by then someone else may have woken one. */
  static final Duration NOT_STARTED_RETRY_AFTER = Duration.ofSeconds(30);

  private final LifecycleManager lifecycle;
  private final WaitingPage waitingPage;

  AcquireStage(LifecycleManager lifecycle, WaitingPage waitingPage) {
    this.lifecycle = lifecycle;
    this.waitingPage = waitingPage;
  }

  /** Completes, never fails, once the request has a lease ({@code ctx.lease}) or an answer. */
  Future<Void> run(ProxyRequest ctx) {
    Lease lease = lifecycle.tryLease(ctx.resource, ctx.groups);
    if (lease != null) {
      granted(ctx, lease);
      return Future.succeededFuture();
    }
    String ignored = ctx.settings.ignoreUserAgents().firstMatch(ctx.request.getHeader(HttpHeaders.USER_AGENT));
    if (ignored != null) {
      // Before the waiting page and the hold: either would start a VM. Also on the retry after a failed VM.
      ctx.fail(new GatewayException(ErrorType.NOT_STARTED, "no VM of the resource is ready, and this user agent "
          + "does not wake VMs (it matches ignoreUserAgents \"" + ignored + "\")", ctx.resource,
          NOT_STARTED_RETRY_AFTER, null));
      return Future.succeededFuture();
    }
    if (ctx.attempt == 0 && ctx.settings.browser() == ResourceSettings.BrowserStrategy.WAITING_PAGE
        && isPageLoad(ctx.request)) {
      // The waiting page ends: a browser reloading a resource that cannot come (unknown, failing and backing
      // off, over a limit) gets that failure as a page, and starts nothing.
      return lifecycle.ensureStarting(ctx.resource, ctx.groups).compose(status -> {
        if (status.phase() == StartPhase.READY) {
          return hold(ctx); // served at once (behind the requests already held): no page that would only reload
        }
        ctx.status = 503;
        ctx.error = "starting";
        ctx.bytesOut = waitingPage.sendWaiting(ctx.request, ctx.resource, ctx.groups, ctx.originUri, status);
        return Future.<Void>succeededFuture();
      }, err -> {
        GatewayException problem = err instanceof GatewayException ge ? ge
            : new GatewayException(ErrorType.BACKEND_FAILED, err.toString(), ctx.resource, null, err);
        ctx.failed(problem, waitingPage.sendFailure(ctx.request, ctx.resource, ctx.groups, ctx.originUri, problem));
        return Future.succeededFuture();
      });
    }
    return hold(ctx);
  }

  private Future<Void> hold(ProxyRequest ctx) {
    HttpServerRequest request = ctx.request;
    ctx.guardBody(); // again: a retry comes here after the forwarder had its own handler on the request
    ctx.held = true;
    long from = System.nanoTime();
    Future<Lease> waiting;
    try {
      waiting = lifecycle.hold(ctx.resource, ctx.groups, request);
    } catch (RuntimeException e) {
      waiting = Future.failedFuture(e);
    }
    return waiting.transform(ar -> {
      ctx.waitMs += (System.nanoTime() - from) / 1_000_000;
      held(ctx, ar);
      return Future.succeededFuture();
    });
  }

  private static void held(ProxyRequest ctx, AsyncResult<Lease> ar) {
    if (ctx.answered()) {
      // Answered meanwhile (a malformed body): a lease that came anyway goes straight back.
      if (ar.succeeded()) {
        ar.result().release();
      }
    } else if (ar.succeeded()) {
      granted(ctx, ar.result());
    } else if (clientGone(ctx, ar.cause())) {
      ctx.clientClosed("the client closed the connection while held");
    } else {
      ctx.fail(ar.cause() instanceof GatewayException ge ? ge
          : new GatewayException(ErrorType.BACKEND_FAILED, ar.cause().toString(), ctx.resource, null, ar.cause()));
    }
  }

  private static void granted(ProxyRequest ctx, Lease lease) {
    ctx.lease = lease;
    ctx.instance = lease.instanceId();
  }

  /**
   * The wait ended because the client hung up. Keyed on the connection being closed, whatever the error
   * says: the lifecycle reports it as {@code client-closed} (or, before that, as a 400 "client closed").
   */
  private static boolean clientGone(ProxyRequest ctx, Throwable cause) {
    return ctx.request.response().closed()
        || cause instanceof GatewayException ge && ge.type() == ErrorType.CLIENT_CLOSED;
  }

  /** A browser navigating to the page (not an XHR or an API client): it can show a waiting page. */
  private static boolean isPageLoad(HttpServerRequest request) {
    HttpMethod method = request.method();
    return (method == HttpMethod.GET || method == HttpMethod.HEAD) && ProblemResponder.prefersHtml(request);
  }
}
