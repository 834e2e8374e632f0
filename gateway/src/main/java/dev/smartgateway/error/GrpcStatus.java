package dev.smartgateway.error;

/**
 * The gRPC status codes (the gRPC "Status codes and their use" document), and which one each gateway error
 * becomes for a gRPC request. The mapping says what the gateway's answer means to a gRPC client: UNAVAILABLE
 * where trying again later may work (a VM failing, the gateway or cloud busy), DEADLINE_EXCEEDED where time ran
 * out, the caller's own faults as theirs.
 */
public enum GrpcStatus {
  OK(0),
  CANCELLED(1),
  UNKNOWN(2),
  INVALID_ARGUMENT(3),
  DEADLINE_EXCEEDED(4),
  NOT_FOUND(5),
  ALREADY_EXISTS(6),
  PERMISSION_DENIED(7),
  RESOURCE_EXHAUSTED(8),
  FAILED_PRECONDITION(9),
  ABORTED(10),
  OUT_OF_RANGE(11),
  UNIMPLEMENTED(12),
  INTERNAL(13),
  UNAVAILABLE(14),
  DATA_LOSS(15),
  UNAUTHENTICATED(16);

  private final int code;

  GrpcStatus(int code) {
    this.code = code;
  }

  /** The number sent as {@code grpc-status}. */
  public int code() {
    return code;
  }

  /** The status a gRPC client is given for a gateway error of this type. */
  public static GrpcStatus of(ErrorType type) {
    return switch (type) {
      case BAD_VIRTUAL_URL, INVALID_SETTINGS -> INVALID_ARGUMENT;
      // A malformed HTTP request is a protocol error, which gRPC reports as INTERNAL.
      case BAD_REQUEST, HTTP_VERSION_NOT_SUPPORTED -> INTERNAL;
      case UNAUTHORIZED -> UNAUTHENTICATED;
      case FORBIDDEN, GROUPS_NOT_GRANTED -> PERMISSION_DENIED;
      case UNKNOWN_RESOURCE, NOT_FOUND -> NOT_FOUND;
      case METHOD_NOT_ALLOWED -> UNIMPLEMENTED;
      case CONFLICT -> FAILED_PRECONDITION;
      case REQUEST_TIMEOUT, START_TIMEOUT, BACKEND_TIMEOUT -> DEADLINE_EXCEEDED;
      case BODY_TOO_LARGE, URI_TOO_LONG, HEADERS_TOO_LARGE -> RESOURCE_EXHAUSTED;
      case CLIENT_CLOSED -> CANCELLED;
      case BOOT_FAILED, BACKEND_FAILED, CLOUD_FAILED -> UNAVAILABLE;
      // The VM did answer, in a form that cannot be passed on: trying again would only repeat the call.
      case BAD_RESPONSE -> INTERNAL;
      case WAITERS_FULL, CLOUD_UNAVAILABLE, NO_CAPACITY, INSTANCE_LIMIT, STARTS_THROTTLED, START_CANCELLED,
           STORE_UNAVAILABLE, SHUTTING_DOWN, NOT_STARTED, GATEWAY_BUSY -> UNAVAILABLE;
    };
  }
}
