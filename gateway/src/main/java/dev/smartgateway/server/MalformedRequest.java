package dev.smartgateway.server;

import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;

/**
 * Why {@link StrictRequestDecoder} refused a request head; it travels as the head's decoder result to the
 * server's invalid-request handler, which answers with {@link #problem()}.
 */
public final class MalformedRequest extends RuntimeException {

  private final ErrorType type;

  MalformedRequest(ErrorType type, String detail) {
    super(detail, null, false, false);
    this.type = type;
  }

  public GatewayException problem() {
    return new GatewayException(type, getMessage());
  }
}
