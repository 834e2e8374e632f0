package dev.smartgateway.cloud;

import java.time.Duration;

/**
 * A typed provider failure. The kind decides what the gateway does: it retries {@link Kind#TRANSIENT},
 * and maps the others to the client's status (see DESIGN section 8).
 */
public final class CloudException extends RuntimeException {

  public enum Kind {
    /** The cloud does not know this resource (404). */
    UNKNOWN_RESOURCE,
    /** The cloud refuses to start it for these groups (403). */
    REFUSED,
    /** Out of capacity or quota (503 + Retry-After). */
    CAPACITY,
    /** Worth retrying: the call certainly failed (connection refused or reset, 5xx, 429, circuit open). */
    TRANSIENT,
    /** The call took too long: it may or may not have happened, so only idempotent calls are retried. */
    TIMEOUT,
    /** Will not get better by retrying (502). */
    PERMANENT,
    /** The instance id is unknown (it was deleted or never existed). */
    INSTANCE_NOT_FOUND
  }

  private final Kind kind;
  private final Duration retryAfter;

  public CloudException(Kind kind, String message) {
    this(kind, message, null, null);
  }

  public CloudException(Kind kind, String message, Throwable cause) {
    this(kind, message, cause, null);
  }

  /** @param retryAfter when the cloud (or the gateway's breaker) expects to accept calls again; null if unknown */
  public CloudException(Kind kind, String message, Throwable cause, Duration retryAfter) {
    super(message, cause);
    this.kind = kind;
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * True for a call that ran out of time rather than failed: its outcome is unknown. Covers the JDK's
   * {@link java.util.concurrent.TimeoutException} (what Vert.x futures and clients fail with) and other
   * libraries' own timeout exceptions, by name.
   */
  public static boolean isTimeout(Throwable error) {
    return error instanceof java.util.concurrent.TimeoutException
        || error.getClass().getSimpleName().contains("Timeout");
  }

  /** The cloud API is unhealthy (as opposed to answering "no"): counts against the circuit breaker. */
  public boolean isCloudFault() {
    return kind == Kind.TRANSIENT || kind == Kind.TIMEOUT;
  }
}
