package dev.smartgateway.error;

import dev.smartgateway.cloud.CloudException;

import java.time.Duration;

/** What a client is told when the cloud would not start its VM (DESIGN section 8). */
public final class CloudProblems {

  private static final Duration NO_CAPACITY_RETRY = Duration.ofSeconds(30);
  private static final Duration UNAVAILABLE_RETRY = Duration.ofSeconds(5);

  private CloudProblems() {
  }

  public static GatewayException of(String resource, Throwable cause) {
    if (cause instanceof GatewayException ge) {
      return ge.resource() == null ? ge.withResource(resource) : ge;
    }
    if (cause instanceof CloudException ce) {
      Duration retryAfter = ce.retryAfter();
      return switch (ce.kind()) {
        case UNKNOWN_RESOURCE -> new GatewayException(ErrorType.UNKNOWN_RESOURCE, ce.getMessage(), resource);
        case REFUSED -> new GatewayException(ErrorType.FORBIDDEN, ce.getMessage(), resource);
        case CAPACITY -> new GatewayException(ErrorType.NO_CAPACITY, ce.getMessage(), resource,
            retryAfter != null ? retryAfter : NO_CAPACITY_RETRY, ce);
        case TRANSIENT, TIMEOUT -> new GatewayException(ErrorType.CLOUD_UNAVAILABLE, ce.getMessage(), resource,
            retryAfter != null ? retryAfter : UNAVAILABLE_RETRY, ce);
        default -> new GatewayException(ErrorType.CLOUD_FAILED, ce.getMessage(), resource, null, ce);
      };
    }
    return new GatewayException(ErrorType.CLOUD_FAILED, "starting the VM failed: " + cause, resource, null, cause);
  }
}
