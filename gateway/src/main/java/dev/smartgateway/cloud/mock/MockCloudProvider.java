package dev.smartgateway.cloud.mock;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code mock} adapter: an HTTP client of the mock cloud's API (DESIGN section 11), push readiness over SSE.
 * Its owner goes to the mock as the VM label {@code owner} and comes back as {@link Instance#OWNER}; other
 * labels show as metadata {@code label.<name>}. {@code list} returns every VM (the gateway skips other owners'),
 * so a gateway can say how many it left alone.
 */
final class MockCloudProvider implements CloudProvider {

  private final WebClient client;
  private final URI api;
  private final long timeoutMs;
  private final MockEventStream events;
  private final Runnable onClose;
  /** Null for a provider created without an owner: its VMs carry no owner label. */
  private final String owner;
  /** Set by close: the client is closed then, and would throw rather than fail a call made afterwards. */
  private volatile boolean closed;

  MockCloudProvider(WebClient client, URI api, long timeoutMs, MockEventStream events, Runnable onClose, String owner) {
    this.owner = owner;
    this.client = client;
    this.api = api;
    this.timeoutMs = timeoutMs;
    this.events = events;
    this.onClose = onClose;
  }

  @Override
  public Future<Instance> start(String resource, Set<String> groups) {
    JsonObject body = new JsonObject().put("resource", resource).put("groups", new JsonArray(new ArrayList<>(groups)));
    if (owner != null) {
      body.put("labels", new JsonObject().put(Instance.OWNER, owner));
    }
    return call("start " + resource, () -> client.post(port(), host(), "/api/vms").timeout(timeoutMs).sendJsonObject(body))
        .map(expect(201, "start " + resource, resp -> startRefusal(resource, resp)))
        .map(resp -> toInstance(resp.bodyAsJsonObject()));
  }

  /** The answers by which the cloud says no to a start (rather than fails); null for any other answer. */
  private static CloudException startRefusal(String resource, HttpResponse<Buffer> resp) {
    return switch (status(resp)) {
      case 404 -> new CloudException(CloudException.Kind.UNKNOWN_RESOURCE,
          "the cloud does not know resource '" + resource + "'");
      case 403 -> new CloudException(CloudException.Kind.REFUSED,
          "the cloud refuses to start resource '" + resource + "'");
      // Any other 503 (the mock shutting down, a proxy in front of it) is a transient failure.
      case 503 -> problemType(resp).endsWith("capacity")
          ? new CloudException(CloudException.Kind.CAPACITY,
              "the cloud has no capacity for resource '" + resource + "'", null, retryAfter(resp))
          : null;
      default -> null;
    };
  }

  /** The {@code type} of a problem+json body; empty if the body is not one. */
  private static String problemType(HttpResponse<Buffer> resp) {
    try {
      JsonObject problem = resp.bodyAsJsonObject();
      return problem == null ? "" : problem.getString("type", "");
    } catch (RuntimeException notAProblem) {
      return "";
    }
  }

  /** {@code Retry-After} in seconds; null if absent or not a number of seconds (the mock never sends a date). */
  private static Duration retryAfter(HttpResponse<Buffer> resp) {
    String value = resp.getHeader("Retry-After");
    if (value == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(value.trim());
      return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
    } catch (NumberFormatException notSeconds) {
      return null;
    }
  }

  @Override
  public Future<Instance> describe(String instanceId) {
    return call("describe " + instanceId, () -> client.get(port(), host(), "/api/vms/" + instanceId).timeout(timeoutMs).send())
        .map(expect(200, "describe " + instanceId, resp -> status(resp) == 404
            ? new CloudException(CloudException.Kind.INSTANCE_NOT_FOUND, "no VM " + instanceId)
            : null))
        .map(resp -> toInstance(resp.bodyAsJsonObject()));
  }

  @Override
  public Future<Void> stop(String instanceId) {
    return call("stop " + instanceId, () -> client.delete(port(), host(), "/api/vms/" + instanceId).timeout(timeoutMs).send())
        .compose(resp -> {
          int status = resp.statusCode();
          if (status == 202 || status == 200 || status == 204 || status == 404) {
            // Stopping a VM the cloud no longer knows is success: it is not running.
            return Future.succeededFuture();
          }
          return Future.failedFuture(httpFailure("stop " + instanceId, resp));
        });
  }

  /** The mock pauses VMs: a suspended one holds requests unanswered until it is resumed. */
  @Override
  public boolean canSuspend() {
    return true;
  }

  @Override
  public Future<Void> suspend(String instanceId) {
    return pause(instanceId, "suspend");
  }

  @Override
  public Future<Void> resume(String instanceId) {
    return pause(instanceId, "resume");
  }

  private Future<Void> pause(String instanceId, String what) {
    return client.post(port(), host(), "/api/vms/" + instanceId + "/" + what).timeout(timeoutMs).send()
        .recover(MockCloudProvider::transportFailure)
        .map(expect(200, what + " " + instanceId, resp -> status(resp) == 404
            ? new CloudException(CloudException.Kind.INSTANCE_NOT_FOUND, "no VM " + instanceId)
            : null))
        .mapEmpty();
  }

  @Override
  public Future<List<Instance>> list() {
    return call("list", () -> client.get(port(), host(), "/api/vms").timeout(timeoutMs).send())
        .map(expect(200, "list", resp -> null))
        .map(resp -> {
          JsonArray array = resp.bodyAsJsonArray();
          List<Instance> instances = new ArrayList<>(array.size());
          for (int i = 0; i < array.size(); i++) {
            instances.add(toInstance(array.getJsonObject(i)));
          }
          return instances;
        });
  }

  @Override
  public Optional<ReadStream<Instance>> events() {
    return Optional.ofNullable(events).map(MockEventStream::stream);
  }

  @Override
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    if (events != null) {
      events.close();
    }
    client.close();
    onClose.run();
    return Future.succeededFuture();
  }

  /**
   * One call of the mock's API, its transport failures typed. Once the provider is closed a call fails PERMANENT
   * (the closed client would throw IllegalStateException out of the call instead, on the caller's event loop):
   * calls still on their way when the gateway shuts down get an answer.
   */
  private Future<HttpResponse<Buffer>> call(String what, Supplier<Future<HttpResponse<Buffer>>> request) {
    if (!closed) {
      try {
        return request.get().recover(MockCloudProvider::transportFailure);
      } catch (IllegalStateException closedMeanwhile) {
        if (!closed) {
          throw closedMeanwhile;
        }
      }
    }
    return Future.failedFuture(new CloudException(CloudException.Kind.PERMANENT, what + ": the mock provider is closed"));
  }

  URI api() {
    return api;
  }

  private String host() {
    return api.getHost();
  }

  private int port() {
    return api.getPort();
  }

  static Instance toInstance(JsonObject json) {
    Set<String> groups = new HashSet<>();
    JsonArray array = json.getJsonArray("groups", new JsonArray());
    for (int i = 0; i < array.size(); i++) {
      groups.add(array.getString(i));
    }
    String endpoint = json.getString("endpoint");
    Map<String, String> metadata = new HashMap<>();
    for (String key : List.of("createdAt", "bootMs", "readyAt")) {
      Object value = json.getValue(key);
      if (value != null) {
        metadata.put(key, value.toString());
      }
    }
    JsonObject labels = json.getJsonObject("labels", new JsonObject());
    for (String label : labels.fieldNames()) {
      Object value = labels.getValue(label);
      if (value != null) {
        metadata.put(label.equals(Instance.OWNER) ? Instance.OWNER : "label." + label, value.toString());
      }
    }
    return new Instance(json.getString("id"), json.getString("resource"), groups,
        InstanceState.valueOf(json.getString("state")), endpoint == null ? null : URI.create(endpoint), metadata);
  }

  private static int status(HttpResponse<Buffer> resp) {
    return resp.statusCode();
  }

  private static Function<HttpResponse<Buffer>, HttpResponse<Buffer>> expect(
      int expected, String what, Function<HttpResponse<Buffer>, CloudException> special) {
    return resp -> {
      if (resp.statusCode() == expected) {
        return resp;
      }
      CloudException specific = special.apply(resp);
      throw specific != null ? specific : httpFailure(what, resp);
    };
  }

  private static CloudException httpFailure(String what, HttpResponse<Buffer> resp) {
    int status = resp.statusCode();
    String detail = what + ": the cloud answered " + status;
    if (status >= 500 || status == 429 || status == 408) {
      return new CloudException(CloudException.Kind.TRANSIENT, detail);
    }
    return new CloudException(CloudException.Kind.PERMANENT, detail);
  }

  private static <T> Future<T> transportFailure(Throwable cause) {
    if (CloudException.isTimeout(cause)) {
      return Future.failedFuture(new CloudException(CloudException.Kind.TIMEOUT, "cloud API call timed out", cause));
    }
    return Future.failedFuture(new CloudException(CloudException.Kind.TRANSIENT,
        "cloud API unreachable: " + cause.getMessage(), cause));
  }
}
