package dev.smartgateway.cloudmock;

import io.vertx.core.http.HttpMethod;

/**
 * The calls of the cloud API that faults can target one by one, and that {@code /api/stats} counts one by
 * one. Their JSON name prefixes the per-kind fault fields ({@code startLatencyMs}, {@code stopError}, ...).
 */
enum CallKind {
  /** {@code POST /api/vms}. */
  START("start"),
  /** {@code GET /api/vms/{id}}. */
  DESCRIBE("describe"),
  /** {@code DELETE /api/vms/{id}}. */
  STOP("stop"),
  /** {@code GET /api/vms}. */
  LIST("list");

  private static final String VMS = "/api/vms";

  private final String json;

  CallKind(String json) {
    this.json = json;
  }

  /**
   * The kind of a call, told by its method and path the way {@link MockApi}'s routes tell them apart; null
   * for the calls of no kind (crash, and any method or path the API does not serve).
   */
  static CallKind of(HttpMethod method, String path) {
    // The router takes a path with one trailing slash for the same path without it.
    String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (trimmed.equals(VMS)) {
      return method == HttpMethod.POST ? START : method == HttpMethod.GET ? LIST : null;
    }
    boolean oneVm = trimmed.startsWith(VMS + "/") && trimmed.indexOf('/', VMS.length() + 1) < 0;
    if (oneVm) {
      return method == HttpMethod.GET ? DESCRIBE : method == HttpMethod.DELETE ? STOP : null;
    }
    return null;
  }

  /** Its name in {@code /api/stats} and in the fault fields. */
  String json() {
    return json;
  }
}
