package dev.smartgateway.proxy;

import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Why no connection to a VM could be had, and whose fault that is. Only the VM's own faults take it out of
 * rotation ({@code Lease.releaseUnreachable()}); the gateway running out of room never does, or one busy
 * gateway would fail and stop every healthy VM behind it.
 *
 * <p>What each failure means, read in the Vert.x 5.0.10 and Netty 4.2 sources:
 * <ul>
 *   <li>{@link ConnectionPoolTooBusyException}: {@code SimpleConnectionPool} refuses a request because the
 *       VM's wait queue ({@code PoolOptions.maxWaitQueueSize}) is full. Saturation.</li>
 *   <li>{@link TimeoutException} (Vert.x's {@code NoStackTraceTimeoutException}, "... exceeded when getting
 *       a connection to ..."): the timer {@code SharedHttpClientConnectionGroup} runs for
 *       {@code RequestOptions.connectTimeout}, from the request queueing or its connection being opened.
 *       {@link VmClients} sets it longer than the TCP connect timeout, so a connection opened at once fails
 *       with Netty's own exception first: this one means the request waited for a busy pool. Saturation.</li>
 *   <li>{@code io.netty.channel.ConnectTimeoutException} (a {@link java.net.ConnectException}): the TCP
 *       connect itself timed out ({@code CONNECT_TIMEOUT_MILLIS}). The VM's fault, as are every other
 *       {@link SocketException} while connecting: refused, no route, reset.</li>
 *   <li>"Too many open files" (Netty's {@code ChannelException} "Failed to open a socket." around it) and
 *       "Cannot assign requested address" (no local port left), anywhere in the cause chain: the gateway
 *       has no descriptor or port to connect with. Saturation.</li>
 *   <li>Anything else: 502, but the VM is not blamed for what is not known to be its fault.</li>
 * </ul>
 *
 * @param problem what the client is answered
 * @param vmAtFault true if the VM could not be reached by its own fault (it leaves rotation)
 */
record ConnectFailure(GatewayException problem, boolean vmAtFault) {

  /** When the gateway is saturated, a second is enough for a connection to free up (or for another gateway). */
  static final Duration BUSY_RETRY = Duration.ofSeconds(1);

  /**
   * @param connectionsPerVm the pool's connections per VM, for the detail
   * @param poolWait how long the request could wait for one of them, for the detail
   */
  static ConnectFailure classify(Throwable cause, int connectionsPerVm, Duration poolWait) {
    return classify(cause, connectionsPerVm + " connections", poolWait);
  }

  /**
   * @param pool what every request to the VM was waiting for, for the detail: {@code "512 connections"}, or for an
   *     h2c VM {@code "512 streams"}
   */
  static ConnectFailure classify(Throwable cause, String pool, Duration poolWait) {
    String local = localShortage(cause);
    if (local != null) {
      return busy("the gateway has no " + local + " left to connect to the VM with", cause);
    }
    if (cause instanceof ConnectionPoolTooBusyException) {
      return busy("all " + pool + " to the VM are busy and its wait queue is full", cause);
    }
    if (cause instanceof TimeoutException) {
      return busy("all " + pool + " to the VM stayed busy for "
          + poolWait.toMillis() + " ms", cause);
    }
    if (cause instanceof io.netty.channel.ConnectTimeoutException) {
      return vm("Connecting to the VM timed out", cause);
    }
    if (cause instanceof SocketException) {
      // Refused, no route, reset: the message names the VM's private address, so the client is not told it.
      return vm("Could not connect to the VM", cause);
    }
    return new ConnectFailure(new GatewayException(ErrorType.BACKEND_FAILED,
        "Could not connect to the VM", null, null, cause), false);
  }

  /** "file descriptor" or "local port" if the cause chain says the gateway ran out of one, else null. */
  private static String localShortage(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage();
      if (message == null) {
        continue;
      }
      if (message.contains("Too many open files")) {
        return "file descriptor";
      }
      if (message.contains("Cannot assign requested address")) {
        return "local port";
      }
    }
    return null;
  }

  private static ConnectFailure busy(String detail, Throwable cause) {
    return new ConnectFailure(new GatewayException(ErrorType.GATEWAY_BUSY, detail, null, BUSY_RETRY, cause), false);
  }

  private static ConnectFailure vm(String detail, Throwable cause) {
    return new ConnectFailure(new GatewayException(ErrorType.BACKEND_FAILED, detail, null, null, cause), true);
  }
}
