package dev.smartgateway.cloud.docker;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the daemon's {@code GET /events} (one JSON object per line, for as long as the connection lasts),
 * filtered to this owner's containers, and hands each {@link DockerEvent} to the provider. When the stream breaks
 * (daemon restarted, socket closed) it reconnects with backoff, asking the daemon to replay from the last event it
 * saw ({@code since}), and tells the provider, which then looks at its containers again: whatever happened while
 * nothing was listening is found either way. Runs on the provider's context.
 */
final class DockerEventFeed {

  private static final Logger LOG = LoggerFactory.getLogger(DockerEventFeed.class);
  static final long RECONNECT_MIN_MS = 100;
  static final long RECONNECT_MAX_MS = 5_000;

  private final Vertx vertx;
  private final DockerApi api;
  private final String owner;
  private final Handler<DockerEvent> events;
  private final Runnable reconnected;
  private long reconnectDelay = RECONNECT_MIN_MS;
  private long lastEventNanos;
  private boolean everConnected;
  private boolean lostReported;
  private HttpClientResponse current;
  private long timer = -1;
  private boolean closed;

  /**
   * @param events      every decoded event, in order
   * @param reconnected called after a reconnect (not after the first connect): events may have been missed
   */
  DockerEventFeed(Vertx vertx, DockerApi api, String owner, Handler<DockerEvent> events, Runnable reconnected) {
    this.vertx = vertx;
    this.api = api;
    this.owner = owner;
    this.events = events;
    this.reconnected = reconnected;
  }

  void connect() {
    timer = -1;
    if (closed) {
      return;
    }
    api.stream(ApiRequests.eventsPath(owner, lastEventNanos)).onComplete(ar -> {
      if (closed) {
        if (ar.succeeded()) {
          ar.result().request().connection().close();
        }
        return;
      }
      if (ar.failed()) {
        retry(ar.cause().getMessage());
        return;
      }
      HttpClientResponse resp = ar.result();
      if (resp.statusCode() != 200) {
        resp.body().onComplete(body -> retry("the daemon answered " + resp.statusCode()
            + (body.succeeded() ? " " + body.result().toString().trim() : "")));
        return;
      }
      current = resp;
      reconnectDelay = RECONNECT_MIN_MS;
      if (lostReported) {
        LOG.info("Docker event stream from {} is back", api.endpoint());
        lostReported = false;
      }
      boolean again = everConnected;
      everConnected = true;
      resp.handler(RecordParser.newDelimited("\n", this::line));
      resp.exceptionHandler(err -> lost(resp, err.toString()));
      resp.endHandler(v -> lost(resp, "the daemon ended the stream"));
      if (again) {
        reconnected.run();
      }
    });
  }

  private void line(Buffer line) {
    if (line.length() == 0) {
      return;
    }
    DockerEvent event;
    try {
      event = DockerEvent.parse(new JsonObject(line));
    } catch (RuntimeException e) {
      LOG.warn("ignoring an event the daemon sent that is not JSON: {}", e.toString());
      return;
    }
    if (event == null) {
      return;
    }
    lastEventNanos = Math.max(lastEventNanos, event.timeNanos());
    events.handle(event);
  }

  private void lost(HttpClientResponse resp, String why) {
    if (current == resp) {
      current = null;
      retry(why);
    }
  }

  private void retry(String why) {
    if (closed || timer >= 0) {
      return;
    }
    long delay = reconnectDelay;
    reconnectDelay = Math.min(RECONNECT_MAX_MS, reconnectDelay * 2);
    // Said once per outage at WARN, then quietly: a daemon that is down for an hour should not fill the log.
    if (!lostReported) {
      LOG.warn("Docker event stream from {} lost ({}); reconnecting with backoff (state is re-read meanwhile)",
          api.endpoint(), why);
      lostReported = true;
    } else {
      LOG.debug("Docker event stream still down ({}); next attempt in {} ms", why, delay);
    }
    timer = vertx.setTimer(delay, t -> connect());
  }

  void close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    HttpClientResponse resp = current;
    current = null;
    if (resp != null) {
      resp.request().connection().close();
    }
  }
}
