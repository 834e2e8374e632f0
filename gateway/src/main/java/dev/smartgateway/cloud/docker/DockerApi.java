package dev.smartgateway.cloud.docker;

import dev.smartgateway.cloud.CloudException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * A small client of the Docker Engine API on a Vert.x {@link HttpClient}: versioned paths, JSON in and out,
 * transport failures turned into {@link CloudException}s (TRANSIENT when the daemon cannot be reached, TIMEOUT when
 * it did not answer in time). What an HTTP status means depends on the call, so statuses are left to the caller
 * ({@link ApiErrors}). The API version is negotiated on first use ({@link ApiVersion}) and kept once known.
 */
final class DockerApi {

  /** Calls that answer at once (inspect, create, list, remove). */
  static final long CALL_TIMEOUT_MS = 30_000;

  private final DockerEndpoint endpoint;
  private final HttpClient client;
  /** Long-lived responses (the event stream, logs) get their own connections, never the pool's. */
  private final HttpClient streams;
  private Future<ApiVersion> version;

  /** The answer to a call: its status and whole body (Docker's answers to these calls are small). */
  record Response(int status, Buffer body) {

    JsonObject json() {
      return body.length() == 0 ? new JsonObject() : body.toJsonObject();
    }

    /** The daemon's own words for an error ({@code {"message": "..."}}), or the body as text. */
    String message() {
      try {
        String message = json().getString("message");
        if (message != null) {
          return message;
        }
      } catch (RuntimeException notJson) {
        // a proxy in front of the daemon, or a plain-text error: the text is the message
      }
      return body.toString().trim();
    }
  }

  DockerApi(Vertx vertx, DockerEndpoint endpoint) {
    this.endpoint = endpoint;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000),
        new PoolOptions().setHttp1MaxSize(16));
    this.streams = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setConnectTimeout(5_000));
  }

  DockerEndpoint endpoint() {
    return endpoint;
  }

  /** The negotiated version; a failed negotiation is tried again by the next call. */
  Future<ApiVersion> version() {
    Future<ApiVersion> known = version;
    if (known != null && !known.failed()) {
      return known;
    }
    Future<ApiVersion> asking = send(HttpMethod.GET, "/version", null, CALL_TIMEOUT_MS).compose(resp -> {
      if (resp.status() != 200) {
        return Future.failedFuture(ApiErrors.unexpected("GET /version", resp));
      }
      try {
        return Future.succeededFuture(ApiVersion.negotiate(resp.json(), endpoint));
      } catch (CloudException e) {
        return Future.failedFuture(e);
      }
    });
    version = asking;
    return asking;
  }

  /**
   * A call of the versioned API.
   *
   * @param path      e.g. {@code /containers/create?name=x} (the version prefix is added)
   * @param body      sent as JSON; null for none
   * @param timeoutMs how long the daemon may stay silent (a stop waits for the container's stop timeout)
   */
  Future<Response> call(HttpMethod method, String path, JsonObject body, long timeoutMs) {
    return version().compose(v -> send(method, v.prefix() + path, body, timeoutMs));
  }

  /** A response to read as a stream (events, logs): the caller consumes or closes it. */
  Future<HttpClientResponse> stream(String path) {
    return version().compose(v -> {
      RequestOptions options = endpoint.request().setMethod(HttpMethod.GET).setURI(v.prefix() + path)
          .setConnectTimeout(5_000);
      return streams.request(options).compose(req -> req.send())
          .recover(err -> Future.failedFuture(transportFailure("GET " + path, err)));
    });
  }

  private Future<Response> send(HttpMethod method, String uri, JsonObject body, long timeoutMs) {
    RequestOptions options = endpoint.request().setMethod(method).setURI(uri).setTimeout(timeoutMs);
    if (body != null) {
      options.putHeader("Content-Type", "application/json");
    }
    return client.request(options)
        .compose(req -> body == null ? req.send() : req.send(body.toBuffer()))
        .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), b)))
        .recover(err -> Future.failedFuture(transportFailure(method + " " + uri, err)));
  }

  private CloudException transportFailure(String what, Throwable err) {
    if (err instanceof CloudException cloud) {
      return cloud;
    }
    if (CloudException.isTimeout(err)) {
      return new CloudException(CloudException.Kind.TIMEOUT,
          "the Docker daemon at " + endpoint + " did not answer " + what + " in time", err);
    }
    return new CloudException(CloudException.Kind.TRANSIENT,
        "the Docker daemon at " + endpoint + " is unreachable (" + what + "): " + describe(err), err);
  }

  private static String describe(Throwable err) {
    String message = err.getMessage();
    return message == null ? err.getClass().getSimpleName() : message;
  }

  Future<Void> close() {
    return Future.join(client.close(), streams.close()).mapEmpty();
  }
}
