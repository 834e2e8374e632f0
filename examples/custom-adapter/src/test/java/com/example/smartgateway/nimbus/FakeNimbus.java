package com.example.smartgateway.nimbus;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory Nimbus API on an ephemeral loopback port: enough of its contract to test the adapter, plus
 * knobs to make it fail. Machines stay {@code provisioning} until the test activates them.
 */
final class FakeNimbus {

  static final String TOKEN = "test-token";

  final Map<String, JsonObject> machines = new ConcurrentHashMap<>();
  final List<String> requests = new ArrayList<>();
  final List<JsonObject> createBodies = new ArrayList<>();
  private final Set<String> images;
  private final Deque<Integer> injectedStatuses = new ArrayDeque<>();
  private volatile boolean silent;
  private int nextId = 1;
  private HttpServer server;

  FakeNimbus(Set<String> images) {
    this.images = images;
  }

  FakeNimbus start(Vertx vertx) throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** The next requests answer these statuses (429 comes with Retry-After: 7) instead of doing anything. */
  synchronized void failNext(Integer... statuses) {
    injectedStatuses.addAll(List.of(statuses));
  }

  /** From now on requests get no answer at all (to test the adapter's timeout). */
  void goSilent() {
    silent = true;
  }

  void setStatus(String id, String status) {
    machines.get(id).put("status", status);
  }

  void activate(String id, int port) {
    machines.get(id).put("status", "active").put("ip", "127.0.0.1").put("port", port);
  }

  /** A machine someone else created in the same account, without the gateway's labels. */
  void addForeignMachine(String id) {
    machines.put(id, new JsonObject().put("machine_id", id).put("status", "active").put("image", "db")
        .put("labels", new JsonObject().put("team", "data")));
  }

  synchronized List<String> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      synchronized (this) {
        requests.add(request.method() + " " + request.uri() + " auth=" + request.getHeader("Authorization"));
        if (silent) {
          return;
        }
        Integer injected = injectedStatuses.poll();
        if (injected != null) {
          if (injected == 429) {
            request.response().putHeader("Retry-After", "7");
          }
          answer(request, injected, new JsonObject().put("error", "injected").put("message", "injected failure"));
          return;
        }
        if (!("Bearer " + TOKEN).equals(request.getHeader("Authorization"))) {
          answer(request, 401, new JsonObject().put("error", "unauthorized").put("message", "bad token"));
          return;
        }
        String path = request.path();
        if (path.equals("/v1/machines") && request.method().name().equals("POST")) {
          create(request, body.toJsonObject());
        } else if (path.equals("/v1/machines") && request.method().name().equals("GET")) {
          String label = request.getParam("label");
          JsonArray listed = new JsonArray();
          machines.values().stream()
              .filter(m -> label == null || m.getJsonObject("labels").containsKey(label))
              .forEach(listed::add);
          answer(request, 200, new JsonObject().put("machines", listed));
        } else if (path.startsWith("/v1/machines/")) {
          String id = path.substring("/v1/machines/".length());
          JsonObject machine = machines.get(id);
          if (machine == null) {
            answer(request, 404, new JsonObject().put("error", "not_found").put("message", "no machine " + id));
          } else if (request.method().name().equals("DELETE")) {
            machine.put("status", "terminated").putNull("ip").putNull("port");
            answer(request, 202, machine);
          } else {
            answer(request, 200, machine);
          }
        } else {
          answer(request, 404, new JsonObject().put("error", "no_route"));
        }
      }
    });
  }

  private void create(HttpServerRequest request, JsonObject body) {
    createBodies.add(body);
    String image = body.getString("image");
    if (!images.contains(image)) {
      answer(request, 404, new JsonObject().put("error", "unknown_image").put("message", "no image " + image));
      return;
    }
    String id = "m-" + nextId++;
    JsonObject machine = new JsonObject()
        .put("machine_id", id)
        .put("status", "provisioning")
        .put("image", image)
        .putNull("ip")
        .putNull("port")
        .put("labels", body.getJsonObject("labels"))
        .put("created_at", "2026-01-01T00:00:00Z");
    machines.put(id, machine);
    answer(request, 201, machine);
  }

  private static void answer(HttpServerRequest request, int status, JsonObject body) {
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
