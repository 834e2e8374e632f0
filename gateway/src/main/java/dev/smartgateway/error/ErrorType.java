package dev.smartgateway.error;

/**
 * Every error a client can get from the gateway. The slug forms the problem {@code type}
 * ({@code urn:smart-gateway:problem:<slug>}); README's "Errors" table documents each.
 */
public enum ErrorType {
  BAD_VIRTUAL_URL(400, "bad-virtual-url", "Malformed virtual URL"),
  BAD_REQUEST(400, "bad-request", "Malformed request"),
  /** No valid bearer token: the admin API's, or (access.groups: jwt) a verified JWT; with WWW-Authenticate. */
  UNAUTHORIZED(401, "unauthorized", "Missing or invalid credentials"),
  FORBIDDEN(403, "forbidden", "Groups not allowed"),
  /** access.groups: jwt: the bearer token is valid but does not grant every group of the URL. */
  GROUPS_NOT_GRANTED(403, "groups-not-granted", "Groups not granted by the token"),
  INVALID_SETTINGS(400, "invalid-settings", "Invalid settings"),
  UNKNOWN_RESOURCE(404, "unknown-resource", "Unknown resource"),
  NOT_FOUND(404, "not-found", "Not found"),
  /** The request body stalled (server.bodyIdleTimeout). */
  METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
  CONFLICT(409, "conflict", "Not possible in the current state"),
  REQUEST_TIMEOUT(408, "request-timeout", "Request body not received in time"),
  BODY_TOO_LARGE(413, "body-too-large", "Request body too large"),
  URI_TOO_LONG(414, "uri-too-long", "Request line too long"),
  HEADERS_TOO_LARGE(431, "headers-too-large", "Request headers too large"),
  /** Only logged: the client went away before it was answered (nginx's 499). */
  CLIENT_CLOSED(499, "client-closed", "Client closed the request"),
  BOOT_FAILED(502, "boot-failed", "The VM failed to start"),
  BACKEND_FAILED(502, "backend-failed", "The VM did not answer"),
  /**
   * The VM answered, but not in a form the gateway can pass on (a response head over
   * server.maxResponseHeaderSize or server.maxResponseLineSize): never retried, the VM is not blamed.
   */
  BAD_RESPONSE(502, "bad-response", "The VM's response could not be passed on"),
  CLOUD_FAILED(502, "cloud-failed", "The cloud refused the request"),
  WAITERS_FULL(503, "waiters-full", "Too many requests waiting"),
  CLOUD_UNAVAILABLE(503, "cloud-unavailable", "The cloud is unavailable"),
  NO_CAPACITY(503, "no-capacity", "The cloud has no capacity"),
  /** Another VM would exceed maxInstances or limits.maxInstances. */
  INSTANCE_LIMIT(503, "instance-limit", "Too many VMs"),
  /** More VM starts are asked for than limits.startsPerSecond allows (a flood of names, or of browsers). */
  STARTS_THROTTLED(503, "starts-throttled", "Too many VM starts"),
  START_CANCELLED(503, "start-cancelled", "The VM's start was cancelled"),
  STORE_UNAVAILABLE(503, "store-unavailable", "The store is unavailable"),
  SHUTTING_DOWN(503, "shutting-down", "The gateway is shutting down"),
  /** No VM of the resource is ready, and this client (its User-Agent is in ignoreUserAgents) never wakes one. */
  NOT_STARTED(503, "not-started", "The VM is not running"),
  /**
   * The gateway itself is out of room to reach the VM (every pooled connection to it busy, or no file
   * descriptor left): the VM is not at fault and stays in rotation.
   */
  GATEWAY_BUSY(503, "gateway-busy", "The gateway is busy"),
  START_TIMEOUT(504, "start-timeout", "The VM did not become ready in time"),
  BACKEND_TIMEOUT(504, "backend-timeout", "The VM did not answer in time"),
  HTTP_VERSION_NOT_SUPPORTED(505, "http-version-not-supported", "HTTP version not supported");

  private final int status;
  private final String slug;
  private final String title;

  ErrorType(int status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  public String typeUri() {
    return "urn:smart-gateway:problem:" + slug;
  }
}
