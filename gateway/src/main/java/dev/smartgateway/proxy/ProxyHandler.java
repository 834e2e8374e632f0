package dev.smartgateway.proxy;

import dev.smartgateway.access.AccessPolicy;
import dev.smartgateway.cache.ResponseCaches;
import dev.smartgateway.config.GatewayConfig;
import dev.smartgateway.config.ResourceCatalog;
import dev.smartgateway.lifecycle.LifecycleManager;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * The forward path as named stages over one {@link ProxyRequest}: parse → access → cache → acquire → forward →
 * finish (a status URL: parse → access → status → finish; cache only for a resource whose cache is enabled).
 * A cache hit is answered before acquire: it never wakes a VM. A stage either passes the request on or answers it; whatever happens, {@link FinishStage} runs
 * exactly once at the end. One per event loop (it holds that loop's {@link Forwarder}); stateless otherwise.
 */
public final class ProxyHandler implements Handler<HttpServerRequest> {

  private final ParseStage parse;
  private final AccessStage access;
  private final CacheStage cache;
  private final AcquireStage acquire;
  private final StatusStage status;
  private final ForwardStage forward;
  private final FinishStage finish;

  public ProxyHandler(GatewayConfig config, ResourceCatalog catalog, AccessPolicy access, LifecycleManager lifecycle,
                      Forwarder forwarder, FinishStage finish, WaitingPage waitingPage, ResponseCaches caches) {
    this.parse = new ParseStage(config, catalog);
    this.access = new AccessStage(access);
    this.cache = new CacheStage(caches);
    this.acquire = new AcquireStage(lifecycle, waitingPage);
    this.status = new StatusStage(lifecycle);
    this.forward = new ForwardStage(config, forwarder);
    this.finish = finish;
  }

  @Override
  public void handle(HttpServerRequest request) {
    // Pause before anything asynchronous: a held request must not have its body read (or lost) meanwhile.
    request.pause();
    ProxyRequest ctx = new ProxyRequest(request, System.nanoTime());
    ctx.guardBody();
    if (!parse.run(ctx)) {
      finish.run(ctx);
      return;
    }
    access.run(ctx).onComplete(admitted -> {
      if (admitted.result()) {
        afterAccess(ctx);
      } else {
        finish.run(ctx);
      }
    });
  }

  private void afterAccess(ProxyRequest ctx) {
    if (ctx.statusUrl) {
      status.run(ctx).onComplete(answered -> finish.run(ctx));
    } else if (ctx.settings.cache().enabled()) {
      cache.run(ctx).onComplete(looked -> {
        if (ctx.answered()) {
          finish(ctx);
        } else {
          acquireThenForward(ctx);
        }
      });
    } else {
      acquireThenForward(ctx);
    }
  }

  /** Acquire, then forward; again after a failure that may be retried (see ForwardStage); finish in every case. */
  private void acquireThenForward(ProxyRequest ctx) {
    acquire.run(ctx).onComplete(acquired -> {
      if (ctx.lease == null) {
        finish(ctx);
        return;
      }
      forward.run(ctx).onComplete(forwarded -> {
        if (forwarded.succeeded() && forwarded.result()) {
          ctx.attempt++;
          acquireThenForward(ctx);
        } else {
          finish(ctx);
        }
      });
    });
  }

  /** The end of a request that went through the cache stage too: a flight it leads ends with it, whatever happened. */
  private void finish(ProxyRequest ctx) {
    if (ctx.cacheFill != null) {
      ctx.cacheFill.settle();
    }
    finish.run(ctx);
  }
}
