package dev.smartgateway.cloudmock;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * An RFC 9457 problem: how every API error is answered. Thrown by handlers, rendered by the router's
 * failure handler, so a handler can refuse input from any depth without threading responses around.
 */
final class Problem extends RuntimeException {

  static final String CONTENT_TYPE = "application/problem+json";

  private final int status;
  private final String slug;
  private final String title;
  /** Seconds for a {@code Retry-After} header; 0 for none. */
  private final long retryAfterSeconds;

  Problem(int status, String slug, String title, String detail) {
    this(status, slug, title, detail, 0);
  }

  private Problem(int status, String slug, String title, String detail, long retryAfterSeconds) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static Problem badRequest(String detail) {
    return new Problem(400, "bad-request", "Malformed request", detail);
  }

  static Problem unknownVm(String id) {
    return new Problem(404, "unknown-vm", "Unknown VM", "no VM with id '" + id + "'");
  }

  static Problem unknownResource(String resource) {
    return new Problem(404, "unknown-resource", "Unknown resource",
        "the cloud does not know resource '" + resource + "'");
  }

  /** @param fault the fault field that failed the call, e.g. {@code apiErrorRate} */
  static Problem injectedError(String fault) {
    return new Problem(500, "injected-error", "Injected API error",
        "fault injection (" + fault + ") failed this call on purpose");
  }

  static Problem capacity(String resource) {
    return new Problem(503, "capacity", "Out of capacity",
        "no capacity to start resource '" + resource + "' now (fault injection: startError)", 30);
  }

  static Problem refused(String resource) {
    return new Problem(403, "refused", "Start refused",
        "the cloud refuses to start resource '" + resource + "' (fault injection: startError)");
  }

  /** The common statuses the router produces by itself (no route, wrong method, body too large). */
  static Problem forStatus(int status, String detail) {
    return switch (status) {
      case 400 -> badRequest(detail);
      case 404 -> new Problem(404, "not-found", "Not found", detail);
      case 405 -> new Problem(405, "method-not-allowed", "Method not allowed", detail);
      case 413 -> new Problem(413, "body-too-large", "Request body too large", detail);
      default -> status >= 500
          ? new Problem(status, "internal-error", "Internal error", detail)
          : new Problem(status, "client-error", "Request refused", detail);
    };
  }

  int status() {
    return status;
  }

  String type() {
    return "urn:smart-gateway:mock:problem:" + slug;
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("type", type())
        .put("title", title)
        .put("status", status)
        .put("detail", getMessage());
  }

  Future<Void> send(HttpServerResponse response) {
    if (retryAfterSeconds > 0) {
      response.putHeader("Retry-After", Long.toString(retryAfterSeconds));
    }
    return response.setStatusCode(status)
        .putHeader("Content-Type", CONTENT_TYPE)
        .end(toJson().encode());
  }
}
