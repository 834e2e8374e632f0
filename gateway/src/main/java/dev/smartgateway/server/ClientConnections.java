package dev.smartgateway.server;

import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The client connections of all listener instances together. At most {@code server.maxConnections} are
 * open: one more is closed as soon as it is accepted (before a byte is read, so it costs next to nothing;
 * the connections already open, idle or not, keep their place). And none may go without a complete request
 * head for longer than {@code server.requestHeaderTimeout}: neither a fresh connection (a slowloris client
 * trickling its headers) nor a keep-alive one between two requests. Once a head is complete the timer is
 * off until the response has ended, so a request held while its VM boots is never cut by it.
 *
 * <p>An HTTP/2 connection carries several requests at once, where an HTTP/1 connection carries one: its first
 * open stream rides on the connection's own place, and every further stream open at the same time takes a place
 * of its own from {@code server.maxConnections}. So the bound still holds for requests in flight, however they
 * are spread over connections; a stream over it is answered 503 gateway-busy at once. The head timer of an HTTP/2
 * connection runs while no stream is open.
 */
public final class ClientConnections {

  private static final Logger log = LoggerFactory.getLogger(ClientConnections.class);
  /** A refused stream may come back soon: places free up as requests end. */
  private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final int maxConnections;
  private final long headerTimeoutMs;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong headTimeouts = new AtomicLong();
  private final AtomicLong refusedStreams = new AtomicLong();

  public ClientConnections(int maxConnections, Duration requestHeaderTimeout) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be >= 1: " + maxConnections);
    }
    this.maxConnections = maxConnections;
    this.headerTimeoutMs = Math.max(1, requestHeaderTimeout.toMillis());
  }

  /** Client connections open now, plus the HTTP/2 streams open beside the first one of their connection. */
  public int open() {
    return open.get();
  }

  /** HTTP/2 streams answered 503 at once because {@code maxConnections} places were taken. */
  public long refusedStreams() {
    return refusedStreams.get();
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
  public Listener listener(Vertx vertx, HttpServerOptions options, BiConsumer<HttpServerRequest, GatewayException> refuse) {
    return new Listener(vertx, options, refuse);
  }

  public final class Listener {

    private final Vertx vertx;
    private final HttpServerOptions options;
    private final BiConsumer<HttpServerRequest, GatewayException> refuse;
    private final Map<HttpConnection, Tracked> tracked = new HashMap<>();

    private Listener(Vertx vertx, HttpServerOptions options, BiConsumer<HttpServerRequest, GatewayException> refuse) {
      this.vertx = vertx;
      this.options = options;
      this.refuse = refuse;
    }

    /**
     * For {@code HttpServer.connectionHandler}. Vert.x calls it again for an HTTP/2 connection on every SETTINGS
     * frame the client sends: only the first call counts.
     */
    public void connected(HttpConnection connection) {
      if (tracked.containsKey(connection)) {
        return;
      }
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
          // Only an HTTP/2 connection has a second request open: Vert.x hands HTTP/1 requests over one by one.
          boolean extra = t.active > 0;
          if (extra && !takePlace()) {
            long n = refusedStreams.incrementAndGet();
            log.debug("stream from {} refused: {} connections and streams open (#{} refused)",
                request.remoteAddress(), maxConnections, n);
            refuse.accept(request, new GatewayException(ErrorType.GATEWAY_BUSY, "the gateway has "
                + maxConnections + " client connections and HTTP/2 streams open (server.maxConnections)", null,
                RETRY_AFTER, null));
            return;
          }
          t.headArrived(request, extra);
        }
        handler.handle(request);
      };
    }

    private boolean takePlace() {
      if (open.incrementAndGet() > maxConnections) {
        open.decrementAndGet();
        return false;
      }
      return true;
    }

    /**
     * One connection's head timer, kept lazily: a keep-alive connection asks for a head after every response, and
     * setting and cancelling a Vert.x timer for each (a map entry, a scheduled task) showed in the warm path's
     * profile. So a head that arrives only marks the wait over, and the deadline moves with each new wait; the one
     * timer, when it fires, closes the connection if a wait is still on and past its deadline, sleeps again for the
     * rest of it if a wait is on but younger, and ends if none is.
     */
    private final class Tracked {
      private final HttpConnection connection;
      private long timer = -1;
      /** A complete head is awaited (no request active) since {@link #waitingSince}. */
      private boolean waiting;
      private long waitingSince;
      private int active;
      private boolean closed;

      Tracked(HttpConnection connection) {
        this.connection = connection;
      }

      void awaitHead() {
        if (closed) {
          return;
        }
        waiting = true;
        waitingSince = System.nanoTime();
        if (timer < 0) {
          schedule(headerTimeoutMs);
        }
      }

      private void schedule(long delayMs) {
        timer = vertx.setTimer(Math.max(1, delayMs), id -> {
          timer = -1;
          if (!waiting || active > 0 || closed) {
            return;
          }
          long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - waitingSince);
          if (waitedMs < headerTimeoutMs) {
            schedule(headerTimeoutMs - waitedMs);
            return;
          }
          headTimeouts.incrementAndGet();
          log.debug("connection from {} closed: no complete request head within {} ms",
              connection.remoteAddress(), headerTimeoutMs);
          connection.close();
        });
      }

      /** @param extra the request took a place of its own (an HTTP/2 stream beside another): given back at its end */
      void headArrived(HttpServerRequest request, boolean extra) {
        waiting = false;
        active++;
        HttpServerResponse response = request.response();
        boolean http2 = request.version() == HttpVersion.HTTP_2;
        // On HTTP/2 this also runs when the stream is reset instead of ended.
        response.endHandler(v -> {
          active--;
          if (extra) {
            open.decrementAndGet();
          }
          // A 101 hands the connection over to another protocol (a WebSocket), which has no request heads; a
          // response that ended before its request's body is closing its connection (lingering close) anyway.
          if (active == 0 && (http2 || response.getStatusCode() != 101 && request.isEnded())) {
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
