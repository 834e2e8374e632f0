package dev.smartgateway.error;

import java.time.Duration;

/**
 * A failure with a defined client answer. Thrown or used to fail futures anywhere in the request path;
 * {@link ProblemResponder} turns it into problem+json or an HTML page.
 */
public final class GatewayException extends RuntimeException {

  private final ErrorType type;
  private final String resource;
  private final Duration retryAfter;

  public GatewayException(ErrorType type, String detail) {
    this(type, detail, null, null, null);
  }

  public GatewayException(ErrorType type, String detail, String resource) {
    this(type, detail, resource, null, null);
  }

  public GatewayException(ErrorType type, String detail, String resource, Duration retryAfter, Throwable cause) {
    super(detail, cause, false, false);
    this.type = type;
    this.resource = resource;
    this.retryAfter = retryAfter;
  }

  public ErrorType type() {
    return type;
  }

  public String detail() {
    return getMessage();
  }

  /** The resource concerned, or null when the URL did not name a valid one. */
  public String resource() {
    return resource;
  }

  /** For 503s: when to come back; null if none. */
  public Duration retryAfter() {
    return retryAfter;
  }

  public GatewayException withResource(String resource) {
    return new GatewayException(type, getMessage(), resource, retryAfter, getCause());
  }

  public Problem toProblem() {
    return new Problem(type.typeUri(), type.title(), type.status(), getMessage(), resource);
  }
}
