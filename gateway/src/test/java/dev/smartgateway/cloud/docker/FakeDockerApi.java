package dev.smartgateway.cloud.docker;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.smartgateway.cloud.docker.DockerTestSupport.await;

/**
 * A Docker Engine API on loopback TCP that answers what a test scripts, and otherwise like a daemon whose containers
 * run (but serve nothing): create, start, inspect, stop, remove, list, logs and a held-open event stream. Records
 * every call. Used for what a real daemon cannot be made to do on demand: old API versions, errors, a broken stream.
 */
final class FakeDockerApi implements AutoCloseable {

  private static final Pattern VERSIONED = Pattern.compile("^/v\\d+\\.\\d+(/.*)$");
  private static final Pattern CONTAINER = Pattern.compile("^/containers/([^/?]+)(/[a-z]+)?$");

  /** One call as the fake received it. */
  record Call(String method, String uri, String path, Buffer body) {
  }

  private record Scripted(String method, Pattern path, int status, String body) {
  }

  private final Vertx vertx;
  private final HttpServer server;
  private final List<Call> calls = new ArrayList<>();
  private final Deque<Scripted> scripted = new ArrayDeque<>();
  private final Map<String, JsonObject> created = new ConcurrentHashMap<>();
  private final List<HttpServerResponse> eventStreams = new ArrayList<>();
  private volatile JsonObject version = new JsonObject().put("ApiVersion", "1.41").put("MinAPIVersion", "1.12")
      .put("Version", "20.10.fake").put("Os", "linux");

  FakeDockerApi(Vertx vertx) {
    this.vertx = vertx;
    this.server = await(vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1"));
  }

  int port() {
    return server.actualPort();
  }

  String url() {
    return "tcp://127.0.0.1:" + port();
  }

  void version(String apiVersion, String minApiVersion) {
    version = new JsonObject().put("ApiVersion", apiVersion).put("MinAPIVersion", minApiVersion)
        .put("Version", "fake").put("Os", "linux");
  }

  /** The next call of {@code method} whose unversioned path matches {@code pathRegex} gets this answer (once). */
  synchronized void answerOnce(String method, String pathRegex, int status, String body) {
    scripted.add(new Scripted(method, Pattern.compile(pathRegex), status, body));
  }

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The unversioned paths of the calls so far, as {@code "POST /containers/create?name=..."}. */
  synchronized List<String> requests() {
    return calls.stream().map(c -> c.method() + " " + c.path()).toList();
  }

  synchronized int eventStreamsOpened() {
    return (int) calls.stream().filter(c -> c.path().startsWith("/events")).count();
  }

  /** Sends one event line on every open event stream. */
  void pushEvent(JsonObject event) {
    vertx.runOnContext(v -> {
      synchronized (this) {
        eventStreams.forEach(resp -> resp.write(event.encode() + "\n"));
      }
    });
  }

  /** Ends every open event stream, as a daemon that restarts does. */
  void endEventStreams() {
    vertx.runOnContext(v -> {
      synchronized (this) {
        eventStreams.forEach(HttpServerResponse::end);
        eventStreams.clear();
      }
    });
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      String uri = req.uri();
      Matcher versioned = VERSIONED.matcher(uri);
      String path = versioned.matches() ? versioned.group(1) : uri;
      Scripted answer;
      synchronized (this) {
        calls.add(new Call(req.method().name(), uri, path, body));
        answer = scripted.stream()
            .filter(s -> s.method().equals(req.method().name()) && s.path().matcher(path).find())
            .findFirst().orElse(null);
        if (answer != null) {
          scripted.remove(answer);
        }
      }
      if (answer != null) {
        req.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json").end(answer.body());
        return;
      }
      byDefault(req, path, body);
    });
  }

  private void byDefault(HttpServerRequest req, String path, Buffer body) {
    HttpServerResponse resp = req.response().putHeader("Content-Type", "application/json");
    String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    if (bare.equals("/version")) {
      resp.end(version.encode());
    } else if (bare.equals("/events")) {
      resp.setChunked(true).setStatusCode(200);
      resp.write("\n"); // the head goes out now, as a daemon's does; the adapter skips empty lines
      synchronized (this) {
        eventStreams.add(resp);
      }
    } else if (bare.equals("/containers/create")) {
      String name = path.substring(path.indexOf("name=") + 5);
      created.put(name, body.toJsonObject());
      resp.setStatusCode(201).end(new JsonObject().put("Id", idOf(name)).put("Warnings", new JsonArray()).encode());
    } else if (bare.equals("/containers/json")) {
      resp.end("[]");
    } else if (bare.startsWith("/images/")) {
      resp.end("{}");
    } else {
      Matcher container = CONTAINER.matcher(bare);
      if (!container.matches()) {
        resp.setStatusCode(404).end(new JsonObject().put("message", "page not found").encode());
        return;
      }
      String name = container.group(1);
      String action = container.group(2) == null ? "" : container.group(2);
      switch (req.method().name() + " " + action) {
        case "POST /start", "POST /stop" -> resp.setStatusCode(204).end();
        case "DELETE " -> {
          created.remove(name);
          resp.setStatusCode(204).end();
        }
        case "GET /logs" -> resp.putHeader("Content-Type", "application/vnd.docker.raw-stream").end(Buffer.buffer()
            .appendByte((byte) 2).appendBytes(new byte[3]).appendInt(13).appendString("fake: failed\n"));
        case "GET /json" -> {
          JsonObject config = created.get(name);
          if (config == null) {
            resp.setStatusCode(404).end(new JsonObject().put("message", "No such container: " + name).encode());
          } else {
            resp.end(new JsonObject().put("Id", idOf(name)).put("Name", "/" + name)
                .put("State", new JsonObject().put("Status", "running").put("Running", true).put("ExitCode", 0))
                .put("Config", new JsonObject().put("Image", config.getString("Image"))
                    .put("Labels", config.getJsonObject("Labels"))).encode());
          }
        }
        default -> resp.setStatusCode(404).end(new JsonObject().put("message", "page not found").encode());
      }
    }
  }

  static String idOf(String name) {
    return String.format("%064x", Math.abs((long) name.hashCode()));
  }

  @Override
  public void close() {
    await(server.close());
  }
}
