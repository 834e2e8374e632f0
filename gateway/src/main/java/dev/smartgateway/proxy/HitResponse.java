package dev.smartgateway.proxy;

import dev.smartgateway.cache.CachedResponse;
import dev.smartgateway.cache.Conditional;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Answers a request from a stored answer: its status and headers, its {@code Age} now, {@code X-Cache: HIT}, and its
 * body with a {@code Content-Length} (none for a HEAD, which gets the GET's length). The body is shared by every hit;
 * each write reads it through a view of its own. A revalidation whose condition holds gets 304 with the headers that
 * update the client's copy (RFC 9110 section 15.4.5).
 */
final class HitResponse {

  private static final String[] NOT_MODIFIED_HEADERS = {"Cache-Control", "Content-Location", "Date", "ETag", "Expires",
      "Last-Modified", "Vary"};

  private HitResponse() {
  }

  /** @return the body bytes sent */
  static long send(HttpServerRequest request, CachedResponse hit, long nowNanos) {
    HttpServerResponse response = request.response();
    if (Conditional.notModified(request.headers(), hit)) {
      response.setStatusCode(304);
      for (String name : NOT_MODIFIED_HEADERS) {
        if (hit.headers().contains(name)) {
          response.headers().set(name, hit.headers().getAll(name));
        }
      }
      response.headers().set("Age", Long.toString(hit.ageSeconds(nowNanos))).set(CacheStage.X_CACHE, CacheStage.HIT);
      response.end();
      return 0;
    }
    int status = hit.status();
    response.setStatusCode(status);
    String message = hit.statusMessage();
    if (message != null && !message.equals(HttpResponseStatus.valueOf(status).reasonPhrase())) {
      response.setStatusMessage(message);
    }
    MultiMap headers = response.headers();
    headers.addAll(hit.headers());
    headers.set("Age", Long.toString(hit.ageSeconds(nowNanos)));
    headers.set(CacheStage.X_CACHE, CacheStage.HIT);
    if (status != 204) {
      headers.set(HttpHeaders.CONTENT_LENGTH, Integer.toString(hit.body().length()));
    }
    if (request.method() == HttpMethod.HEAD || status == 204) {
      response.end();
      return 0;
    }
    response.end(hit.body());
    return hit.body().length();
  }
}
