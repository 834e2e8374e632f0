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
  private final boolean vmUnreachable;
  private final long requestBytes;
  private final long responseBytes;

  /**
   * @param state where the exchange had got to: whether the VM was reached or is to blame for not being,
   *     and the body bytes moved each way
   */
  ForwardException(GatewayException problem, boolean requestReplayable, boolean responseStarted,
                   boolean clientClosed, State state, Throwable cause) {
    super(problem.getMessage(), cause, false, false);
    this.problem = problem;
    this.requestReplayable = requestReplayable;
    this.responseStarted = responseStarted;
    this.clientClosed = clientClosed;
    this.vmReached = state.vmReached();
    this.vmUnreachable = state.vmUnreachable();
    this.requestBytes = state.requestBytes();
    this.responseBytes = state.responseBytes();
  }

  /** How far an exchange got, as its failure reports it. */
  record State(boolean vmReached, boolean vmUnreachable, long requestBytes, long responseBytes) {
    static final State NOTHING = new State(false, false, 0, 0);
  }

  /**
   * True only if the VM itself is to blame for not being reached: it refused or reset the connection, or the
   * TCP connect timed out. Never for the gateway's own saturation (a busy pool, no file descriptor): then the
   * VM stays in rotation. See {@link ConnectFailure}.
   */
  public boolean vmUnreachable() {
    return vmUnreachable;
  }

  /** Request body bytes read from the client and passed on to the VM before the failure. */
  public long requestBytes() {
    return requestBytes;
  }

  /** Response body bytes written to the client before the failure. */
  public long responseBytes() {
    return responseBytes;
  }

  /**
   * False if no connection to the VM could be had: the VM never saw the request, so any method may be
   * retried elsewhere. Whether the VM is to blame for that is {@link #vmUnreachable()}.
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
