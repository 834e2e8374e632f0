package dev.smartgateway.access;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.time.Duration;

/**
 * Fetches a JWKS document over http(s): one GET, bounded in time and in size (a key set is a few kilobytes; a
 * misconfigured URL that streams megabytes must not be buffered), TLS verified against the JVM's trusted roots.
 */
final class JwksFetcher {

  static final int MAX_BYTES = 1 << 20;
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient client;
  private final URI url;

  JwksFetcher(Vertx vertx, URI url) {
    this.url = url;
    this.client = vertx.createHttpClient(new HttpClientOptions().setVerifyHost(true)
        .setConnectTimeout((int) TIMEOUT.toMillis()).setKeepAlive(false));
  }

  URI url() {
    return url;
  }

  /** The document; fails with a message saying what went wrong (for a start-up error or a log line). */
  Future<JsonObject> fetch() {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url.toString())
        .setSsl("https".equalsIgnoreCase(url.getScheme()))
        .putHeader(HttpHeaders.ACCEPT, "application/jwk-set+json, application/json").setTimeout(TIMEOUT.toMillis());
    return client.request(options)
        .compose(request -> request.send())
        .compose(response -> {
          if (response.statusCode() != 200) {
            response.end(); // drain
            return Future.failedFuture("answered " + response.statusCode());
          }
          Promise<Buffer> body = Promise.promise();
          Buffer collected = Buffer.buffer();
          response.handler(chunk -> {
            if (collected.length() + chunk.length() > MAX_BYTES) {
              body.tryFail("the document is over " + (MAX_BYTES >> 10) + " KiB");
              response.request().reset();
            } else {
              collected.appendBuffer(chunk);
            }
          });
          response.endHandler(v -> body.tryComplete(collected));
          response.exceptionHandler(body::tryFail);
          return body.future();
        })
        .compose(JwksFetcher::parse)
        .recover(err -> Future.failedFuture("cannot fetch the JWKS from " + url + ": " + err.getMessage()));
  }

  private static Future<JsonObject> parse(Buffer body) {
    try {
      return Future.succeededFuture(new JsonObject(body));
    } catch (DecodeException | ClassCastException e) {
      return Future.failedFuture("not a JSON object");
    }
  }

  Future<Void> close() {
    return client.close();
  }
}
