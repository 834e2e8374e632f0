package dev.smartgateway.server;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client connections of all listener instances together. At most {@code server.maxConnections} are
 * open: one more is closed as soon as it is accepted (before a byte is read, so it costs next to nothing;
 * the connections already open, idle or not, keep their place). And none may go without a complete request
 * head for longer than {@code server.requestHeaderTimeout}: neither a fresh connection (a slowloris client
 * trickling its headers) nor a keep-alive one between two requests. Once a head is complete the timer is
 * off until the response has ended, so a request held while its VM boots is never cut by it.
 */
public final class ClientConnections {

  private static final Logger log = LoggerFactory.getLogger(ClientConnections.class);

  private final int maxConnections;
  private final long headerTimeoutMs;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong headTimeouts = new AtomicLong();

  public ClientConnections(int maxConnections, Duration requestHeaderTimeout) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be >= 1: " + maxConnections);
    }
    this.maxConnections = maxConnections;
    this.headerTimeoutMs = Math.max(1, requestHeaderTimeout.toMillis());
  }

  /** Client connections open now. */
  public int open() {
    return open.get();
  }

  /** Connections closed at once because {@code maxConnections} were open. */
  public long refused() {
    return refused.get();
  }

  /** Connections closed because no complete request head came in time. */
  public long headTimeouts() {
    return headTimeouts.get();
  }

  /**
   * The handlers for one listener instance. Its connection and request handlers all run on that instance's
   * event loop, so its per-connection state needs no locks.
   */
  public Listener listener(Vertx vertx, HttpServerOptions options) {
    return new Listener(vertx, options);
  }

  public final class Listener {

    private final Vertx vertx;
    private final HttpServerOptions options;
    private final Map<HttpConnection, Tracked> tracked = new HashMap<>();

    private Listener(Vertx vertx, HttpServerOptions options) {
      this.vertx = vertx;
      this.options = options;
    }

    /** For {@code HttpServer.connectionHandler}. */
    public void connected(HttpConnection connection) {
      if (open.incrementAndGet() > maxConnections) {
        open.decrementAndGet();
        long n = refused.incrementAndGet();
        log.debug("connection from {} refused: {} connections open (#{} refused)", connection.remoteAddress(),
            maxConnections, n);
        connection.close();
        return;
      }
      StrictRequestDecoder.install(connection, options);
      Tracked t = new Tracked(connection);
      tracked.put(connection, t);
      onClose(connection, () -> {
        if (!t.closed) {
          t.closed = true;
          t.cancel();
          tracked.remove(connection);
          open.decrementAndGet();
        }
      });
      t.awaitHead();
    }

    /**
     * Runs {@code closed} once the connection's channel is closed. Not {@code HttpConnection.closeHandler}: a
     * connection upgraded to a WebSocket ({@code request.toNetSocket()}) gets a new handler in its pipeline and
     * the old connection is never told it closed, which kept a slot of {@code maxConnections} and the whole
     * connection in {@link #tracked} for good. The channel's close future fires on the channel's event loop,
     * this listener's own, whatever the connection became.
     */
    private void onClose(HttpConnection connection, Runnable closed) {
      if (connection instanceof ConnectionBase base) {
        base.channel().closeFuture().addListener(f -> closed.run());
      } else {
        connection.closeHandler(v -> closed.run());
      }
    }

    /** Wraps a request (or invalid-request) handler: a complete head stops the connection's head timer. */
    public Handler<HttpServerRequest> wrap(Handler<HttpServerRequest> handler) {
      return request -> {
        Tracked t = tracked.get(request.connection());
        if (t != null) {
          t.headArrived(request);
        }
        handler.handle(request);
      };
    }

    private final class Tracked {
      private final HttpConnection connection;
      private long timer = -1;
      private int active;
      private boolean closed;

      Tracked(HttpConnection connection) {
        this.connection = connection;
      }

      void awaitHead() {
        cancel();
        if (closed) {
          return;
        }
        timer = vertx.setTimer(headerTimeoutMs, id -> {
          timer = -1;
          if (active == 0 && !closed) {
            headTimeouts.incrementAndGet();
            log.debug("connection from {} closed: no complete request head within {} ms",
                connection.remoteAddress(), headerTimeoutMs);
            connection.close();
          }
        });
      }

      void headArrived(HttpServerRequest request) {
        cancel();
        active++;
        HttpServerResponse response = request.response();
        response.endHandler(v -> {
          active--;
          // A 101 hands the connection over to another protocol (a WebSocket), which has no request heads; a
          // response that ended before its request's body is closing its connection (lingering close) anyway.
          if (active == 0 && response.getStatusCode() != 101 && request.isEnded()) {
            awaitHead();
          }
        });
      }

      void cancel() {
        if (timer >= 0) {
          vertx.cancelTimer(timer);
          timer = -1;
        }
      }
    }
  }
}
