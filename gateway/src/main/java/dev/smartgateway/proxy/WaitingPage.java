package dev.smartgateway.proxy;

import dev.smartgateway.error.ProblemResponder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * What a browser sees while its VM boots: a page that refreshes itself until the VM answers, instead of a
 * tab spinning for a minute. 503 with Retry-After so that nothing caches it and crawlers come back later.
 */
final class WaitingPage {

  static final int REFRESH_SECONDS = 2;

  private WaitingPage() {
  }

  /** @return the body bytes sent (none for HEAD), for the access log */
  static long send(HttpServerRequest request, String resource) {
    String name = ProblemResponder.escape(resource);
    Buffer body = Buffer.buffer("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta http-equiv=\"refresh\" content=\"" + REFRESH_SECONDS + "\">"
        + "<title>Starting " + name + "…</title>"
        + "<style>body{font-family:system-ui,sans-serif;max-width:36em;margin:5em auto;color:#222;text-align:center}"
        + ".spin{display:inline-block;width:2em;height:2em;border:.25em solid #ccc;border-top-color:#36c;"
        + "border-radius:50%;animation:s 1s linear infinite}@keyframes s{to{transform:rotate(360deg)}}</style>"
        + "</head><body><div class=\"spin\"></div><h1>Starting " + name + "…</h1>"
        + "<p>The machine behind this page is waking up. This page reloads by itself and shows it as soon as it is ready.</p>"
        + "</body></html>\n");
    request.response()
        .setStatusCode(503)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
        .putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(REFRESH_SECONDS))
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader("Refresh", Integer.toString(REFRESH_SECONDS))
        .end(body);
    return ProblemResponder.bodyBytesSent(request, body.length());
  }
}
