package dev.smartgateway.cloudmock;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Subscribes to {@code /api/events} and parses the server-sent events as they arrive. */
final class EventRecorder {

  private final Vertx vertx;
  private final HttpClient client;
  private final List<String> rawEvents = new CopyOnWriteArrayList<>();
  private final List<JsonObject> vmEvents = new CopyOnWriteArrayList<>();
  private final StringBuilder pending = new StringBuilder();
  private HttpClientResponse response;

  private EventRecorder(Vertx vertx) {
    this.vertx = vertx;
    this.client = vertx.createHttpClient();
  }

  /** Completes once the stream's headers arrived, that is once the subscription is in place. */
  static Future<EventRecorder> connect(Vertx vertx, int port) {
    EventRecorder recorder = new EventRecorder(vertx);
    return recorder.client.request(HttpMethod.GET, port, "127.0.0.1", "/api/events")
        .compose(request -> request.send())
        .map(response -> {
          recorder.response = response;
          response.handler(chunk -> recorder.onText(chunk.toString()));
          return recorder;
        });
  }

  HttpClientResponse response() {
    return response;
  }

  /** Every complete event block received so far, comments included, without the blank line. */
  List<String> rawEvents() {
    return List.copyOf(rawEvents);
  }

  /** The VM JSON of every {@code vm} event received so far, in arrival order. */
  List<JsonObject> vmEvents() {
    return List.copyOf(vmEvents);
  }

  List<String> statesOf(String vmId) {
    return vmEvents().stream()
        .filter(vm -> vmId.equals(vm.getString("id")))
        .map(vm -> vm.getString("state"))
        .toList();
  }

  /** Waits for the first event that matches. */
  JsonObject awaitEvent(String what, Predicate<JsonObject> matches) {
    return Await.awaitUntil(vertx, what,
        () -> Future.succeededFuture(vmEvents().stream().filter(matches).findFirst().orElse(null)),
        found -> found != null);
  }

  JsonObject awaitState(String vmId, String state) {
    return awaitEvent(vmId + " " + state,
        vm -> vmId.equals(vm.getString("id")) && state.equals(vm.getString("state")));
  }

  void close() {
    client.close();
  }

  private synchronized void onText(String text) {
    pending.append(text);
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String block = pending.substring(0, end);
      pending.delete(0, end + 2);
      rawEvents.add(block);
      parse(block);
    }
  }

  private void parse(String block) {
    String event = null;
    StringBuilder data = new StringBuilder();
    for (String line : block.split("\n")) {
      if (line.startsWith("event:")) {
        event = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        data.append(line.substring(5).trim());
      }
    }
    if ("vm".equals(event)) {
      vmEvents.add(new JsonObject(data.toString()));
    }
  }
}
