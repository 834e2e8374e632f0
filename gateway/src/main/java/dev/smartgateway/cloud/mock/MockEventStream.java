package dev.smartgateway.cloud.mock;

import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceEventStream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;

/**
 * Follows the mock cloud's {@code GET /api/events} server-sent events and turns each {@code vm} event into
 * an {@link Instance}. Reconnects with backoff when the stream breaks; the gateway's describe polling covers
 * what is missed meanwhile.
 */
final class MockEventStream {

  private static final Logger log = LoggerFactory.getLogger(MockEventStream.class);
  private static final long RECONNECT_MIN_MS = 100;
  private static final long RECONNECT_MAX_MS = 5000;

  private final Vertx vertx;
  private final URI api;
  private final HttpClient client;
  private final InstanceEventStream stream = new InstanceEventStream();
  private final Promise<Void> firstAttempt = Promise.promise();
  private volatile boolean closed;
  private long reconnectDelay = RECONNECT_MIN_MS;
  private String event;
  private StringBuilder data = new StringBuilder();

  MockEventStream(Vertx vertx, URI api) {
    this.vertx = vertx;
    this.api = api;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setTcpNoDelay(true));
  }

  InstanceEventStream stream() {
    return stream;
  }

  /**
   * Completes once the first connection attempt has settled: subscribed (the mock registers a subscriber before it
   * answers, so every later state change comes through), or refused or failed (it then retries on its own).
   */
  Future<Void> firstAttempt() {
    return firstAttempt.future();
  }

  void connect() {
    if (closed) {
      return;
    }
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost(api.getHost())
        .setPort(api.getPort())
        .setURI("/api/events")
        .putHeader("Accept", "text/event-stream");
    client.request(options)
        .compose(req -> req.send())
        .onSuccess(resp -> {
          if (resp.statusCode() != 200) {
            resp.end();
            retry("status " + resp.statusCode());
            firstAttempt.tryComplete();
            return;
          }
          reconnectDelay = RECONNECT_MIN_MS;
          RecordParser lines = RecordParser.newDelimited("\n", this::line);
          resp.handler(lines);
          resp.exceptionHandler(err -> retry(err.toString()));
          resp.endHandler(v -> retry("stream ended"));
          firstAttempt.tryComplete();
        })
        .onFailure(err -> {
          retry(err.toString());
          firstAttempt.tryComplete();
        });
  }

  private void line(Buffer buffer) {
    String line = buffer.toString();
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    if (line.isEmpty()) {
      dispatch();
    } else if (line.startsWith("event:")) {
      event = line.substring(6).trim();
    } else if (line.startsWith("data:")) {
      if (data.length() > 0) {
        data.append('\n');
      }
      data.append(line.substring(5).trim());
    }
    // Comments (":heartbeat") and other fields are ignored, as the SSE format asks.
  }

  private void dispatch() {
    String name = event;
    String payload = data.toString();
    event = null;
    data = new StringBuilder();
    if (!"vm".equals(name) || payload.isEmpty()) {
      return;
    }
    try {
      stream.push(MockCloudProvider.toInstance(new JsonObject(payload)));
    } catch (RuntimeException e) {
      log.warn("ignoring malformed vm event: {}", e.toString());
    }
  }

  private void retry(String why) {
    if (closed) {
      return;
    }
    event = null;
    data = new StringBuilder();
    long delay = reconnectDelay;
    reconnectDelay = Math.min(RECONNECT_MAX_MS, reconnectDelay * 2);
    log.debug("event stream lost ({}); reconnecting in {} ms", why, delay);
    vertx.setTimer(delay, t -> connect());
  }

  void close() {
    closed = true;
    stream.end();
    client.close();
  }
}
