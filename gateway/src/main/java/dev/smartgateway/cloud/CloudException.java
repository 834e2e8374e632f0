package dev.smartgateway.cloud;

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
    /** Worth retrying: timeouts, connection errors, 5xx, 429. */
    TRANSIENT,
    /** Will not get better by retrying (502). */
    PERMANENT,
    /** The instance id is unknown (it was deleted or never existed). */
    INSTANCE_NOT_FOUND
  }

  private final Kind kind;

  public CloudException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public CloudException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public boolean isTransient() {
    return kind == Kind.TRANSIENT;
  }
}
