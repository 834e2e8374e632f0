package dev.smartgateway.proxy;

import dev.smartgateway.cache.CacheKey;
import dev.smartgateway.cache.CachePolicy;
import dev.smartgateway.cache.CachedResponse;
import dev.smartgateway.cache.Flight;
import dev.smartgateway.cache.Freshness;
import dev.smartgateway.cache.ResponseCaches;
import dev.smartgateway.config.CacheSettings;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import java.util.List;

/**
 * Fills the cache from a missed GET's answer as it streams to the client (a {@link ResponseTap}): decides from the
 * head whether the answer may be stored ({@link CachePolicy}), copies its body while it stays within
 * {@code maxEntryBytes}, and stores it once it is complete. An answer that may not be stored, or grows too large,
 * still streams to the client whole; only the copy is dropped. If the request leads a {@link Flight}, the flight
 * is settled as soon as the outcome is known, so that its waiters are not kept waiting for a body they cannot share.
 * On the request's event loop only.
 */
final class CacheFill implements ResponseTap {

  private final ResponseCaches caches;
  private final String resource;
  private final CacheSettings settings;
  private final CacheKey key;
  private final MultiMap requestHeaders;
  private Flight flight;

  private int status;
  private String statusMessage;
  private MultiMap headers;
  private Freshness freshness;
  private long arrivedNanos;
  /** The body's length was declared: its copy was made to measure. */
  private boolean declared;
  /** The copy of the body so far; null when nothing is being kept. */
  private Buffer body;

  /** @param flight the flight this request leads, or null */
  CacheFill(ResponseCaches caches, String resource, CacheSettings settings, CacheKey key, MultiMap requestHeaders,
            Flight flight) {
    this.caches = caches;
    this.resource = resource;
    this.settings = settings;
    this.key = key;
    this.requestHeaders = requestHeaders;
    this.flight = flight;
  }

  @Override
  public void head(int status, String statusMessage, MultiMap vmHeaders) {
    body = null;
    arrivedNanos = System.nanoTime();
    freshness = CachePolicy.freshness(requestHeaders, status, vmHeaders, settings.defaultTtl(),
        System.currentTimeMillis());
    if (!freshness.storable() || declaredLength(vmHeaders) > settings.maxEntryBytes()) {
      settle();
      return;
    }
    this.status = status;
    this.statusMessage = statusMessage;
    this.headers = storedHeaders(vmHeaders);
    long length = declaredLength(vmHeaders);
    declared = length >= 0;
    body = Buffer.buffer((int) Math.min(declared ? length : 4096, settings.maxEntryBytes()));
  }

  @Override
  public void chunk(Buffer chunk) {
    if (body == null) {
      return;
    }
    if (body.length() + chunk.length() > settings.maxEntryBytes()) {
      body = null; // larger than an entry may be: the client still gets all of it, the cache none
      settle();
      return;
    }
    body.appendBuffer(chunk); // a copy: the chunk itself goes on to the client
  }

  @Override
  public void end(MultiMap trailers) {
    if (body != null && trailers.isEmpty()) {
      // A body of unknown length grew by doubling: stored at its size, not its buffer's.
      Buffer stored = declared ? body : body.copy();
      CachedResponse response = new CachedResponse(status, statusMessage, headers, stored, arrivedNanos,
          freshness.initialAgeMs(), freshness.lifetimeMs(), varyNames(headers), variant(headers));
      caches.forStoring(resource, settings).store(key, response);
    }
    body = null;
    settle();
  }

  @Override
  public void abort() {
    body = null; // a retry starts over with a new head; the flight stays open until the request ends
  }

  /** The outcome is known (or the request is over): the flight's waiters go on. Idempotent. */
  void settle() {
    if (flight != null) {
      Flight settled = flight;
      flight = null;
      settled.settle();
    }
  }

  private List<String> varyNames(MultiMap stored) {
    return CacheKey.varyNames(stored);
  }

  private String variant(MultiMap stored) {
    return CacheKey.variant(varyNames(stored), requestHeaders);
  }

  /** The end-to-end headers, without those each answer gets anew. */
  private static MultiMap storedHeaders(MultiMap vmHeaders) {
    MultiMap stored = MultiMap.caseInsensitiveMultiMap();
    HeaderRules.copyEndToEnd(vmHeaders, stored);
    stored.remove(HttpHeaders.CONTENT_LENGTH);
    stored.remove("Age");
    stored.remove(CacheStage.X_CACHE);
    return stored;
  }

  private static long declaredLength(MultiMap headers) {
    String length = headers.get(HttpHeaders.CONTENT_LENGTH);
    if (length == null) {
      return -1;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
