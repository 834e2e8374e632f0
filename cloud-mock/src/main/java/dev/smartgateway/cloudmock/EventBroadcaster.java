package dev.smartgateway.cloudmock;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code /api/events} server-sent-event stream: every VM state change goes to every subscriber as
 * {@code event: vm} with the VM's JSON. Used from the cloud's single context only.
 */
final class EventBroadcaster {

  private static final Logger LOG = LoggerFactory.getLogger(EventBroadcaster.class);
  private static final long HEARTBEAT_MS = 15_000;
  // Roughly ten thousand events of backlog: a subscriber that far behind is dropped instead of letting
  // the mock's memory grow without bound; it reconnects and re-lists.
  private static final int MAX_BACKLOG_BYTES = 4 * 1024 * 1024;

  private final Vertx vertx;
  private final Set<HttpServerResponse> subscribers = new LinkedHashSet<>();
  private final long heartbeat;

  EventBroadcaster(Vertx vertx) {
    this.vertx = vertx;
    // Comments keep idle connections alive through proxies and let clients notice a dead stream.
    this.heartbeat = vertx.setPeriodic(HEARTBEAT_MS, id -> broadcast(": keep-alive\n\n"));
  }

  void subscribe(HttpServerResponse response) {
    response.setChunked(true)
        .setWriteQueueMaxSize(MAX_BACKLOG_BYTES)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache");
    subscribers.add(response);
    response.closeHandler(v -> subscribers.remove(response));
    response.exceptionHandler(err -> subscribers.remove(response));
    // Sent at once so the headers go out: a client that has them knows it will see every later change.
    response.write(": connected\n\n");
  }

  void publish(Vm vm) {
    broadcast("event: vm\ndata: " + vm.toJson().encode() + "\n\n");
  }

  /** Ends every stream: the cloud is shutting down. */
  void close() {
    vertx.cancelTimer(heartbeat);
    List<HttpServerResponse> all = List.copyOf(subscribers);
    subscribers.clear();
    all.forEach(response -> {
      if (!response.closed()) {
        response.end();
      }
    });
  }

  private void broadcast(String frame) {
    for (HttpServerResponse response : List.copyOf(subscribers)) {
      if (response.closed()) {
        subscribers.remove(response);
      } else if (response.writeQueueFull()) {
        LOG.warn("dropping an event subscriber that fell {} bytes behind", MAX_BACKLOG_BYTES);
        subscribers.remove(response);
        response.reset();
      } else {
        response.write(frame);
      }
    }
  }
}
