package dev.smartgateway.proxy;

import dev.smartgateway.config.GatewayConfig;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import dev.smartgateway.lifecycle.Lease;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * Stage 4, the exchange with the VM: streams the request through on its lease, tells the lease when the VM
 * answered, gives the lease back (as unreachable only when the VM is to blame), and decides whether a failed
 * request may go once more.
 */
final class ForwardStage {

  static final String WAIT_HEADER = "X-Smart-Gateway-Wait-Ms";
  private static final MultiMap NO_HEADERS = MultiMap.caseInsensitiveMultiMap();

  private final GatewayConfig config;
  private final Forwarder forwarder;

  ForwardStage(GatewayConfig config, Forwarder forwarder) {
    this.config = config;
    this.forwarder = forwarder;
  }

  /** Completes, never fails: true if the request should be acquired and forwarded again (the one retry). */
  Future<Boolean> run(ProxyRequest ctx) {
    Lease lease = ctx.lease;
    HttpServerRequest request = ctx.request;
    MultiMap extra = NO_HEADERS;
    if (ctx.held || ctx.cache == CacheStage.MISS) {
      extra = MultiMap.caseInsensitiveMultiMap();
      if (ctx.held) {
        extra.add(WAIT_HEADER, Long.toString(ctx.waitMs));
      }
      if (ctx.cache == CacheStage.MISS) {
        extra.add(CacheStage.X_CACHE, CacheStage.MISS);
      }
    }
    ForwardTarget target = new ForwardTarget(lease.host(), lease.port(), ctx.url.forwardUri(),
        forwardedPrefix(request.path(), ctx.url.forwardPath()), ctx.groups, ctx.settings.connectTimeout(),
        ctx.settings.responseTimeout(), config.server().maxBodyBytes(), extra, config.server().bodyIdleTimeout(),
        request.remoteAddress() != null && config.server().trustsProxy(request.remoteAddress().hostAddress()),
        ctx.subject == null ? null : MultiMap.caseInsensitiveMultiMap()
            .set(HeaderRules.SUBJECT, HeaderRules.printable(ctx.subject)),
        ctx.settings.protocol());
    // A held request notes when its first byte goes out (the cold start as the client sees it); the warm path
    // reads no clock for it.
    Runnable answered = ctx.held ? () -> {
      ctx.firstByteNanos = System.nanoTime();
      lease.answered();
    } : lease::answered;
    return forwarder.forward(request, target, answered, ctx.cacheFill == null ? ResponseTap.NONE : ctx.cacheFill)
        .transform(ar -> Future.succeededFuture(finished(ctx, lease, ar)));
  }

  private static boolean finished(ProxyRequest ctx, Lease lease, AsyncResult<ForwardOutcome> ar) {
    ctx.lease = null;
    if (ar.succeeded()) {
      lease.release();
      ForwardOutcome outcome = ar.result();
      ctx.status = outcome.status();
      ctx.bytesIn = outcome.requestBytes();
      ctx.bytesOut = outcome.responseBytes();
      return false;
    }
    if (!(ar.cause() instanceof ForwardException fe)) {
      lease.release();
      ctx.fail(new GatewayException(ErrorType.BACKEND_FAILED, "forwarding failed: " + ar.cause().getMessage(),
          ctx.resource, null, ar.cause()));
      return false;
    }
    if (fe.vmUnreachable()) {
      // The VM refused, reset or did not accept the connection: it leaves rotation now, not at its next ping.
      lease.releaseUnreachable();
    } else {
      lease.release();
    }
    GatewayException error = fe.problem().resource() == null ? fe.problem().withResource(ctx.resource) : fe.problem();
    ctx.bytesIn = fe.requestBytes();
    if (fe.clientClosed()) {
      ctx.clientClosed(error.detail());
      ctx.bytesOut = fe.responseBytes();
      return false;
    }
    if (fe.responseStarted()) {
      // The client's connection was already reset: never a truncated success. Only the record is left.
      ctx.failed(error, fe.responseBytes());
      return false;
    }
    if (fe.requestReplayable() && error.type() == ErrorType.BACKEND_FAILED) {
      // Retried once: a request that never reached the VM goes to a fresh one whatever its method; an
      // idempotent one that was reset before any response byte (a stale keep-alive connection) goes again.
      // Never a bad-response (a response head over the limits): the VM got the request and answered it.
      if (ctx.attempt == 0 && (!fe.vmReached() || isIdempotent(ctx.request.method()))) {
        ctx.staleRetry = fe.vmReached();
        return true;
      }
      // A stale connection's VM may be the one that died: a new connection to it is refused. That failure
      // never reached a VM, and gets the fresh VM it would have had as a first failure.
      if (ctx.attempt == 1 && ctx.staleRetry && !fe.vmReached()) {
        ctx.staleRetry = false;
        return true;
      }
    }
    ctx.fail(error);
    return false;
  }

  private static boolean isIdempotent(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
        || method == HttpMethod.PUT || method == HttpMethod.DELETE || method == HttpMethod.TRACE;
  }

  /** The part of the path the client used to reach the resource, for X-Forwarded-Prefix. */
  static String forwardedPrefix(String rawPath, String forwardPath) {
    if (rawPath.endsWith(forwardPath) && rawPath.length() > forwardPath.length()) {
      return rawPath.substring(0, rawPath.length() - forwardPath.length());
    }
    return rawPath;
  }
}
