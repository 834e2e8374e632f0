package dev.smartgateway.cloudmock;

import java.util.Arrays;

/**
 * How every well-formed {@code POST /api/vms} is answered while the {@code startError} fault is set: the
 * ways a real cloud says no to a start. None of them creates a VM.
 */
enum StartError {
  /** Starts work. */
  NONE("none"),
  /** 503 {@code capacity} with {@code Retry-After}: out of capacity or quota for now. */
  CAPACITY("capacity"),
  /** 403 {@code refused}: the cloud will not start this resource. */
  REFUSED("refused"),
  /** 404 {@code unknown-resource}, exactly as for a resource outside {@code --resources}. */
  UNKNOWN_RESOURCE("unknown-resource"),
  /** 500 {@code injected-error}. */
  ERROR("error");

  private final String json;

  StartError(String json) {
    this.json = json;
  }

  String json() {
    return json;
  }

  /** @throws IllegalArgumentException if {@code value} names none */
  static StartError parse(Object value) {
    for (StartError error : values()) {
      if (error.json.equals(value)) {
        return error;
      }
    }
    throw new IllegalArgumentException("startError must be one of "
        + Arrays.stream(values()).map(StartError::json).toList() + ", was "
        + (value instanceof String ? "'" + value + "'" : String.valueOf(value)));
  }

  /** The refusal of a start of {@code resource}; null for {@link #NONE}. */
  Problem problem(String resource) {
    return switch (this) {
      case NONE -> null;
      case CAPACITY -> Problem.capacity(resource);
      case REFUSED -> Problem.refused(resource);
      case UNKNOWN_RESOURCE -> Problem.unknownResource(resource);
      case ERROR -> Problem.injectedError("startError");
    };
  }
}
