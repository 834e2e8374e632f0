package dev.smartgateway.proxy;

import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import java.util.Objects;

/**
 * Streams requests to VMs and their responses back, both ways with back-pressure and never buffering a
 * body. One instance per server event loop ({@link VmClients}: its connection pools).
 *
 * <p>Contract with the caller: call {@link HttpServerRequest#pause()} on the request before any
 * asynchronous step (waiting for a VM is one), then {@link #forward} it, still paused, from any thread. The
 * exchange runs on the request's own context and the returned future completes there. From the call on,
 * the forwarder owns the request's and its response's handlers until the future completes.
 *
 * <p>Hold on to the instance for as long as it forwards: Vert.x 5 closes an HTTP client (and with it the pool)
 * once nothing references it any more.
 *
 * <p>Choices the caller can rely on:
 * <ul>
 *   <li>{@code Host}: the client's {@code Host} is sent unchanged (for HTTP/2 clients, their authority), so
 *       the application in the VM builds links and redirects for the name the client used, not for a VM
 *       address that is private and changes with every start; the VM's own address is used only when the
 *       client sent no {@code Host} (HTTP/1.0). For an absolute-form request target, ParseStage has already
 *       put the target's authority in {@code Host} (RFC 9112 section 3.2.2).</li>
 *   <li>The future completes once, when the exchange is over: succeeded with a {@link ForwardOutcome} when
 *       the response was fully written to the client, failed with a {@link ForwardException} otherwise. A
 *       client that goes away fails it with {@link ForwardException#clientClosed()} after the upstream
 *       request was aborted.</li>
 *   <li>The response timeout runs from the request being fully sent to the VM, so a long upload is not cut
 *       short; stalls in either direction are bounded by {@link ForwarderOptions#idleTimeout()}.</li>
 *   <li>{@code Expect: 100-continue} is forwarded and the VM's {@code 100 Continue} relayed: the client is
 *       only told to send its body once the VM asked for it. The front server must therefore not answer
 *       100 itself ({@code HttpServerOptions.handle100ContinueAutomatically} false, the default).</li>
 *   <li>WebSocket upgrades are passed through: the VM's 101 is relayed and the two connections are spliced
 *       byte for byte; the future completes when both directions are closed. An upgrade gets a connection of
 *       its own, outside the pool: in Vert.x 5.0.10 an upgraded pooled connection is neither recycled nor
 *       evicted until it closes ({@code Http1xClientConnection} after {@code connect()}), so long-lived
 *       WebSockets would otherwise fill the pool and starve every plain request to their VM.</li>
 *   <li>A failure to get a connection says whose fault it was ({@link ForwardException#vmUnreachable()},
 *       {@link ConnectFailure}): the gateway's own saturation is 503 {@code gateway-busy}, never the VM's.</li>
 * </ul>
 */
public final class Forwarder {

  private final Vertx vertx;
  private final VmClients clients;
  private volatile boolean closed;

  private Forwarder(Vertx vertx, VmClients clients) {
    this.vertx = vertx;
    this.clients = clients;
  }

  public static Forwarder create(Vertx vertx, ForwarderOptions options) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(options, "options");
    return new Forwarder(vertx, new VmClients(vertx, options));
  }

  /**
   * Forwards the (paused) request; the future completes when the whole exchange is over (response fully
   * written to the client, or failed with a {@link ForwardException}).
   */
  public Future<ForwardOutcome> forward(HttpServerRequest request, ForwardTarget target) {
    return forward(request, target, null);
  }

  /**
   * As {@link #forward(HttpServerRequest, ForwardTarget)}; {@code answered} (may be null) runs once, on the
   * request's context, when the VM's response head (or its 101) arrives while the exchange is still live.
   */
  public Future<ForwardOutcome> forward(HttpServerRequest request, ForwardTarget target, Runnable answered) {
    return forward(request, target, answered, ResponseTap.NONE);
  }

  /**
   * As {@link #forward(HttpServerRequest, ForwardTarget, Runnable)}; {@code tap} sees the VM's response (head, body
   * chunks, end or abort) as it streams to the client, on the request's context.
   */
  public Future<ForwardOutcome> forward(HttpServerRequest request, ForwardTarget target, Runnable answered,
                                        ResponseTap tap) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(target, "target");
    Context context = request instanceof HttpServerRequestInternal internal
        ? internal.context() : vertx.getOrCreateContext();
    Exchange exchange = new Exchange(vertx, context, clients, request, target, answered, tap);
    if (closed) {
      exchange.refuse(new GatewayException(ErrorType.SHUTTING_DOWN, "The gateway is shutting down"));
    } else if (Vertx.currentContext() == context) {
      exchange.start();
    } else {
      // Called from where the wait for a VM ended; the request's handlers all run on its own context, so the
      // exchange moves there once instead of sharing state across threads.
      context.runOnContext(v -> exchange.start());
    }
    return exchange.future();
  }

  /** Closes the pooled connections; forwards still running fail, later ones fail with 503 shutting-down. */
  public Future<Void> close() {
    closed = true;
    return clients.close();
  }
}
