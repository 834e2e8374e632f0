package dev.smartgateway.proxy;

import dev.smartgateway.error.GatewayException;

/**
 * A forward that did not complete. What the caller may still do depends on {@link #responseStarted()}:
 *
 * <ul>
 *   <li>false: nothing was written to the client; answer it with
 *       {@link dev.smartgateway.error.ProblemResponder#respond} and {@link #problem()}, or, if
 *       {@link #requestReplayable()}, forward the same request again (to another VM).</li>
 *   <li>true: the response had begun; the forwarder has already reset the client's connection (never a
 *       truncated response that looks complete). The problem is only for the log.</li>
 * </ul>
 *
 * {@link #clientClosed()} marks an exchange the client abandoned (it closed its connection); the upstream
 * request was aborted and there is nobody left to answer.
 */
public final class ForwardException extends RuntimeException {

  private final GatewayException problem;
  private final boolean requestReplayable;
  private final boolean responseStarted;
  private final boolean clientClosed;
  private final boolean vmReached;

  ForwardException(GatewayException problem, boolean requestReplayable, boolean responseStarted,
                   boolean clientClosed, boolean vmReached, Throwable cause) {
    super(problem.getMessage(), cause, false, false);
    this.problem = problem;
    this.requestReplayable = requestReplayable;
    this.responseStarted = responseStarted;
    this.clientClosed = clientClosed;
    this.vmReached = vmReached;
  }

  /**
   * False if no connection to the VM could be made (refused, connect timeout): the VM never saw the request,
   * so any method may be retried elsewhere, and the VM itself is suspect.
   */
  public boolean vmReached() {
    return vmReached;
  }

  /** What to answer the client with (when {@link #responseStarted()} is false). */
  public GatewayException problem() {
    return problem;
  }

  /**
   * True if no byte of the request body was consumed from the client and the request is paused again with
   * no handlers of the forwarder left on it: it can be forwarded once more. Whether that is wise (the VM may
   * have acted on it, e.g. on a response timeout) is the caller's decision; a {@code backend-failed} on a
   * connect failure is always safe to retry.
   */
  public boolean requestReplayable() {
    return requestReplayable;
  }

  /** True if the response head had been written to the client (which then got a connection reset). */
  public boolean responseStarted() {
    return responseStarted;
  }

  /** True if the client went away (closed its connection) before the exchange was over. */
  public boolean clientClosed() {
    return clientClosed;
  }
}
