package dev.smartgateway.proxy;

import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * Tells a VM response over the gateway's limits from a VM that failed. Vert.x's client fails the exchange
 * with Netty's {@link TooLongHttpHeaderException} (headers or trailers over
 * {@code HttpClientOptions.maxHeaderSize}) or {@link TooLongHttpLineException} (a status or chunk-size line over
 * {@code maxInitialLineLength}) and closes the connection. Read as a reset before any response byte, that would
 * retry an idempotent request, and the VM, which did get and answer it, would get it twice; so it is a
 * problem of its own, {@link ErrorType#BAD_RESPONSE}, which the forward path never retries, and the VM stays
 * in rotation.
 */
final class BadResponse {

  private static final int MAX_DEPTH = 8;

  private BadResponse() {
  }

  /**
   * @param cause         why the exchange with the VM failed
   * @param headArrived   the response head was already in (then a too-large block is the trailers)
   * @return the problem, or null if {@code cause} is not a response over the limits
   */
  static GatewayException classify(Throwable cause, boolean headArrived, ForwarderOptions options) {
    Throwable t = cause;
    for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
      if (t instanceof TooLongHttpHeaderException) {
        return new GatewayException(ErrorType.BAD_RESPONSE, "The VM's response " + (headArrived ? "trailers" : "headers")
            + " are larger than server.maxResponseHeaderSize (" + options.maxResponseHeaderSize() + " bytes)",
            null, null, cause);
      }
      if (t instanceof TooLongHttpLineException) {
        return new GatewayException(ErrorType.BAD_RESPONSE, "A line of the VM's response ("
            + (headArrived ? "a chunk size" : "the status line") + ") is longer than server.maxResponseLineSize ("
            + options.maxResponseLineLength() + " bytes)", null, null, cause);
      }
    }
    return null;
  }
}
