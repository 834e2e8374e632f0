package dev.smartgateway.proxy;

import dev.smartgateway.cache.CacheKey;
import dev.smartgateway.cache.CachePolicy;
import dev.smartgateway.cache.CachedResponse;
import dev.smartgateway.cache.Flight;
import dev.smartgateway.cache.ResourceCache;
import dev.smartgateway.cache.ResponseCaches;
import dev.smartgateway.cache.ResponseCaches.FlightKey;
import dev.smartgateway.cache.ResponseCaches.Turn;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * The cache stage, between access and acquire (for a resource whose {@code cache.enabled}): a fresh stored answer is
 * served from here ({@code X-Cache: HIT}, {@code Age}) and the request never reaches acquire, so a hit wakes no VM
 * and keeps none awake. A miss goes on to the VM ({@code X-Cache: MISS}) with a {@link CacheFill} that stores its
 * answer if it may be. Concurrent misses of one GET go to the VM once: the first leads, the others wait for its
 * outcome on a future (bounded by the resource's {@code maxWaiting}; a waiter whose client hangs up is dropped at
 * once), then are served from the cache, or go to the VM themselves if the answer was not stored. A HEAD is answered
 * from a stored GET, a revalidation ({@code If-None-Match}, {@code If-Modified-Since}) that still holds with a 304
 * ({@link HitResponse}); such misses go to the VM and store nothing. Requests that may not use the cache
 * ({@link CachePolicy#requestBypass}) pass through untouched.
 */
final class CacheStage {

  static final String X_CACHE = "X-Cache";
  static final String HIT = "HIT";
  static final String MISS = "MISS";
  /** The resource caches, but this request could not use the cache (not GET/HEAD, no-cache, conditional, ...). */
  static final String NONE = "none";

  private final ResponseCaches caches;

  CacheStage(ResponseCaches caches) {
    this.caches = caches;
  }

  /** Completes, never fails, once the request is answered (a hit, or its client gone) or may go on to acquire. */
  Future<Void> run(ProxyRequest ctx) {
    HttpServerRequest request = ctx.request;
    MultiMap headers = request.headers();
    if (CachePolicy.requestBypass(request.method(), headers) != null) {
      ctx.cache = NONE;
      return Future.succeededFuture();
    }
    CacheKey key = new CacheKey(ctx.groups, host(request), ctx.url.forwardUri());
    long maxAgeMs = CachePolicy.requestMaxAgeMs(headers);
    ResourceCache cache = caches.find(ctx.resource, ctx.settings.cache());
    if (cache != null && serveHit(ctx, cache, key, maxAgeMs)) {
      return Future.succeededFuture();
    }
    ctx.cache = MISS;
    if (request.method() == HttpMethod.HEAD || CachePolicy.isConditional(headers)) {
      // Answered by the VM, nothing stored: a HEAD's answer has no body, a conditional one may be a 304.
      return Future.succeededFuture();
    }
    List<String> varyNames = cache == null ? null : cache.varyNames(key);
    FlightKey flightKey = new FlightKey(ctx.resource, key,
        varyNames == null ? null : CacheKey.variant(varyNames, headers));
    Turn turn = caches.board(flightKey, ctx.settings.maxWaiting());
    if (turn == null || turn.leader()) {
      // The leader fetches; one past the waiters' bound goes by itself (and may store too).
      ctx.cacheFill = new CacheFill(caches, ctx.resource, ctx.settings.cache(), key, headers,
          turn == null ? null : turn.flight());
      return Future.succeededFuture();
    }
    return await(ctx, turn.flight(), key, maxAgeMs);
  }

  /** The host the client named: its {@code Host}, or for HTTP/2 its {@code :authority}. */
  private static String host(HttpServerRequest request) {
    String host = request.getHeader(HttpHeaders.HOST);
    if (host == null && request.authority() != null) {
      host = request.authority().host() + ':' + request.authority().port();
    }
    return host;
  }

  private boolean serveHit(ProxyRequest ctx, ResourceCache cache, CacheKey key, long maxAgeMs) {
    long now = System.nanoTime();
    CachedResponse hit = cache.lookup(key, ctx.request.headers(), now, maxAgeMs);
    if (hit == null) {
      return false;
    }
    ctx.cache = HIT;
    ctx.bytesOut = HitResponse.send(ctx.request, hit, now);
    ctx.status = ctx.request.response().getStatusCode(); // the stored status, or 304 for a revalidation
    return true;
  }

  /** Waits for the leader's outcome without a thread; then a hit, or on to the VM with a fill of its own. */
  private Future<Void> await(ProxyRequest ctx, Flight flight, CacheKey key, long maxAgeMs) {
    Promise<Void> resumed = Promise.promise();
    Context context = Vertx.currentContext();
    if (ctx.request.response().closed()) {
      flight.leave();
      ctx.clientClosed("the client closed the connection before its answer was fetched for the cache");
      return Future.succeededFuture();
    }
    boolean[] over = {false};
    ctx.request.response().closeHandler(v -> {
      if (!over[0]) {
        over[0] = true;
        flight.leave();
        ctx.clientClosed("the client closed the connection while its answer was being fetched for the cache");
        resumed.complete();
      }
    });
    flight.done().onComplete(settled -> context.runOnContext(v -> {
      if (over[0]) {
        return;
      }
      over[0] = true;
      flight.leave();
      ctx.request.response().closeHandler(null);
      ResourceCache cache = caches.find(ctx.resource, ctx.settings.cache());
      if (cache == null || !serveHit(ctx, cache, key, maxAgeMs)) {
        ctx.cacheFill = new CacheFill(caches, ctx.resource, ctx.settings.cache(), key, ctx.request.headers(), null);
      }
      resumed.complete();
    }));
    return resumed.future();
  }
}
