package dev.smartgateway.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Joins an upgraded client connection and its VM connection byte for byte, each direction with
 * back-pressure, and follows the WebSocket frames each way (only their headers are read) so that the gateway
 * can close a WebSocket itself, cleanly, between two frames:
 * <ul>
 *   <li>on shutdown (the listener's shutdown reaches the client socket), and after {@code
 *       server.webSocketIdleTimeout} without a byte either way (when set), the client gets a close frame 1001
 *       (going away) once the VM's current frame is through, the VM gets one too (masked, as a client's must
 *       be) and its connection is closed; the client's connection is closed once it answered with its own
 *       close frame, or after {@link #GOING_AWAY_LIMIT_MS} at the latest;</li>
 *   <li>otherwise a WebSocket is never cut for being quiet: the listener's idle timeout ({@code
 *       server.idleTimeout}) is taken off the client connection here, the VM connection has none ({@link
 *       VmClients#upgradeClient}), and both have TCP keep-alive, so a peer that vanished is still found out.</li>
 * </ul>
 *
 * <p>Both sockets live on the request's event loop: the VM connection is opened from the request's context
 * (Exchange), and handlers run where their connection was made. So no state here is shared across threads.
 */
final class Splice {

  /** How long the gateway waits for the client's answer to its close frame before closing anyway. */
  static final long GOING_AWAY_LIMIT_MS = 2_000;
  static final int GOING_AWAY = 1001;

  private final Vertx vertx;
  private final Context context;
  private final NetSocket client;
  private final NetSocket vm;
  private final Promise<ForwardOutcome> promise;
  private final long idleTimeoutMs;
  private final WebSocketFrames fromClient = new WebSocketFrames();
  private final WebSocketFrames fromVm = new WebSocketFrames();
  private long clientToVm;
  private long vmToClient;
  private boolean clientClosed;
  private boolean vmClosed;
  private boolean vmEnded;
  private boolean clientEnded;
  private long lastActivityNanos = System.nanoTime();
  private long idleTimer = -1;
  /** The gateway closes this WebSocket itself: set once, with the reason its close frames give. */
  private String goingAway;
  private boolean closeSentToClient;
  private boolean closeSentToVm;
  private long goingAwayTimer = -1;

  /**
   * @param context     where the outcome is reported: the request's context, as for every other exchange
   * @param idleTimeout {@code server.webSocketIdleTimeout}; zero: never closed for being quiet
   */
  Splice(Vertx vertx, Context context, NetSocket client, NetSocket vm, Promise<ForwardOutcome> promise,
         Duration idleTimeout) {
    this.vertx = vertx;
    this.context = context;
    this.client = client;
    this.vm = vm;
    this.promise = promise;
    this.idleTimeoutMs = idleTimeout.toMillis();
  }

  void start() {
    keepWhileQuiet(client);
    client.handler(this::fromClient);
    vm.handler(this::fromVm);
    vm.drainHandler(v -> client.resume());
    client.drainHandler(v -> vm.resume());
    // When one side is done, the other gets everything already written, then is closed.
    client.endHandler(v -> {
      clientEnded = true;
      endVm();
    });
    vm.endHandler(v -> {
      vmEnded = true;
      onVmGone();
    });
    client.exceptionHandler(t -> client.close());
    vm.exceptionHandler(t -> vm.close());
    client.closeHandler(v -> {
      clientClosed = true;
      endVm();
      closed();
    });
    vm.closeHandler(v -> {
      vmClosed = true;
      onVmGone();
      closed();
    });
    client.shutdownHandler(v -> goAway("gateway shutting down"));
    if (idleTimeoutMs > 0) {
      scheduleIdleCheck(idleTimeoutMs);
    }
    vm.resume();
  }

  /**
   * Takes the listener's idle timeout off an upgraded client connection (it would cut a quiet WebSocket) and
   * turns TCP keep-alive on instead.
   */
  private static void keepWhileQuiet(NetSocket socket) {
    if (socket instanceof NetSocketInternal internal) {
      ChannelHandlerContext ctx = internal.channelHandlerContext();
      ChannelPipeline pipeline = ctx.pipeline();
      IdleStateHandler idle = pipeline.get(IdleStateHandler.class);
      if (idle != null) {
        pipeline.remove(idle);
      }
      ctx.channel().config().setOption(ChannelOption.SO_KEEPALIVE, true);
    }
  }

  private void fromClient(Buffer data) {
    lastActivityNanos = System.nanoTime();
    if (goingAway == null) {
      fromClient.read(data, 0, false);
      toVm(data);
      return;
    }
    int relayed = 0;
    if (!closeSentToVm) {
      // The client's current frame still goes through whole; the gateway's close frame follows it.
      relayed = fromClient.read(data, 0, true);
      if (relayed > 0) {
        toVm(relayed == data.length() ? data : data.getBuffer(0, relayed));
      }
      if (fromClient.atBoundary()) {
        closeVm();
      }
    }
    if (relayed < data.length()) {
      fromClient.read(data, relayed, false); // not relayed: only watched for the client's close frame
    }
    if (closeSentToClient && fromClient.closeSeen()) {
      endClient();
    }
  }

  private void fromVm(Buffer data) {
    lastActivityNanos = System.nanoTime();
    if (goingAway == null) {
      fromVm.read(data, 0, false);
      toClient(data);
      return;
    }
    if (closeSentToClient) {
      return; // the client was told the WebSocket is over: nothing may follow the close frame
    }
    int relayed = fromVm.read(data, 0, true);
    if (relayed > 0) {
      toClient(relayed == data.length() ? data : data.getBuffer(0, relayed));
    }
    if (fromVm.atBoundary()) {
      closeClient();
    }
  }

  private void toVm(Buffer data) {
    clientToVm += data.length();
    vm.write(data);
    if (vm.writeQueueFull()) {
      client.pause();
    }
  }

  private void toClient(Buffer data) {
    vmToClient += data.length();
    client.write(data);
    if (client.writeQueueFull()) {
      vm.pause();
    }
  }

  // ------------------------------------------------------------------ the gateway closes the WebSocket

  private void goAway(String reason) {
    if (goingAway != null || clientClosed) {
      return;
    }
    goingAway = reason;
    cancelIdleCheck();
    goingAwayTimer = vertx.setTimer(GOING_AWAY_LIMIT_MS, id -> {
      goingAwayTimer = -1;
      vm.close();
      client.close();
    });
    // Between two frames, a close frame goes out at once; in the middle of one, once that frame is through.
    if (fromVm.atBoundary()) {
      closeClient();
    }
    if (fromClient.atBoundary()) {
      closeVm();
    }
    // The client's data, now discarded, must still be read for its close frame to be seen.
    client.resume();
  }

  /** Sends the client a close frame 1001; then waits for its own close frame (or its close) before closing it. */
  private void closeClient() {
    if (closeSentToClient || clientClosed) {
      return;
    }
    closeSentToClient = true;
    client.write(WebSocketFrames.close(GOING_AWAY, goingAway, false));
    if (fromClient.closeSeen()) {
      endClient();
    }
    if (closeSentToVm) {
      endVm();
    }
  }

  /** Sends the VM a close frame 1001; its connection is ended once the client has its close frame too. */
  private void closeVm() {
    if (closeSentToVm || vmEnded || vmClosed) {
      closeSentToVm = true;
      return;
    }
    closeSentToVm = true;
    vm.write(WebSocketFrames.close(GOING_AWAY, goingAway, true));
    if (closeSentToClient) {
      endVm();
    }
  }

  /**
   * The VM's side is over. Normally the client's follows; but a client that already has the gateway's close
   * frame is given its chance to answer it first.
   */
  private void onVmGone() {
    if (goingAway != null && closeSentToClient) {
      return;
    }
    endClient();
  }

  private void endVm() {
    if (!vmEnded && !vmClosed) {
      vmEnded = true;
      vm.end();
    }
  }

  private void endClient() {
    if (!clientEnded && !clientClosed) {
      clientEnded = true;
      client.end();
    }
  }

  private void closed() {
    if (clientClosed && vmClosed) {
      cancelIdleCheck();
      if (goingAwayTimer >= 0) {
        vertx.cancelTimer(goingAwayTimer);
        goingAwayTimer = -1;
      }
      ForwardOutcome outcome = new ForwardOutcome(101, clientToVm, vmToClient);
      context.runOnContext(v -> promise.tryComplete(outcome));
    }
  }

  // ------------------------------------------------------------------ server.webSocketIdleTimeout

  private void scheduleIdleCheck(long delayMs) {
    idleTimer = vertx.setTimer(Math.max(1, delayMs), id -> onIdleCheck());
  }

  private void onIdleCheck() {
    idleTimer = -1;
    if (goingAway != null || clientClosed || vmClosed) {
      return;
    }
    long quietMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastActivityNanos);
    if (quietMs < idleTimeoutMs) {
      scheduleIdleCheck(idleTimeoutMs - quietMs);
      return;
    }
    goAway("idle for " + idleTimeoutMs + " ms");
  }

  private void cancelIdleCheck() {
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
      idleTimer = -1;
    }
  }
}
