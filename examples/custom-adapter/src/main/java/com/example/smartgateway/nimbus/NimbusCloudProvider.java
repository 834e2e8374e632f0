package com.example.smartgateway.nimbus;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.Instance;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The gateway's view of the Nimbus cloud: a thin, stateless client of its REST API (control plane only;
 * the gateway forwards user traffic itself). Nimbus cannot push state changes, so there is no
 * {@code events()}: the gateway polls {@link #describe}.
 *
 * <p>Every machine is labelled with the gateway's id ({@code smart-gateway-owner}), which comes back as the
 * instance's {@link Instance#OWNER}: gateways sharing a Nimbus account adopt and stop only their own machines.
 * {@code list} returns every gateway's machines; the gateway leaves the others alone.
 */
final class NimbusCloudProvider implements CloudProvider {

  private final NimbusSettings settings;
  private final Context context;
  private final HttpClient http;
  /** The gateway's id, labelled on every machine; null for a provider created without one. */
  private final String owner;
  /** Set by close: calls still on their way when the gateway shuts down must get an answer all the same. */
  private volatile boolean closed;

  NimbusCloudProvider(Vertx vertx, NimbusSettings settings, String owner) {
    this.settings = settings;
    this.owner = owner;
    this.context = vertx.getOrCreateContext();
    // Small pool: these are occasional control-plane calls, not the data path.
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000), new PoolOptions().setHttp1MaxSize(8));
  }

  @Override
  public Future<Instance> start(String resource, Set<String> groups) {
    String image = settings.images().get(resource);
    if (image == null) {
      return Future.failedFuture(new CloudException(CloudException.Kind.UNKNOWN_RESOURCE,
          "no Nimbus image configured for resource '" + resource + "' (provider.images)"));
    }
    return call(HttpMethod.POST, "/v1/machines", NimbusMachines.createRequest(image, resource, groups, owner))
        .map(response -> switch (response.status()) {
          case 200, 201, 202 -> NimbusMachines.toInstance(response.json());
          case 404 -> throw new CloudException(CloudException.Kind.UNKNOWN_RESOURCE,
              "Nimbus does not know image '" + image + "' of resource '" + resource + "': " + response.errorMessage());
          default -> throw response.failure("creating a machine for " + resource);
        });
  }

  @Override
  public Future<Instance> describe(String instanceId) {
    return call(HttpMethod.GET, "/v1/machines/" + encode(instanceId), null)
        .map(response -> switch (response.status()) {
          case 200 -> NimbusMachines.toInstance(response.json());
          case 404 -> throw new CloudException(CloudException.Kind.INSTANCE_NOT_FOUND, "Nimbus has no machine " + instanceId);
          default -> throw response.failure("describing " + instanceId);
        });
  }

  /** Idempotent: a machine Nimbus no longer knows (404) is as stopped as it gets. */
  @Override
  public Future<Void> stop(String instanceId) {
    return call(HttpMethod.DELETE, "/v1/machines/" + encode(instanceId), null)
        .map(response -> {
          if (response.status() / 100 == 2 || response.status() == 404) {
            return null;
          }
          throw response.failure("deleting " + instanceId);
        });
  }

  @Override
  public Future<List<Instance>> list() {
    return call(HttpMethod.GET, "/v1/machines?label=" + NimbusMachines.GATEWAY_LABEL, null)
        .map(response -> {
          if (response.status() != 200) {
            throw response.failure("listing machines");
          }
          JsonArray machines = response.json().getJsonArray("machines", new JsonArray());
          List<Instance> instances = new ArrayList<>();
          for (int i = 0; i < machines.size(); i++) {
            JsonObject machine = machines.getJsonObject(i);
            if (NimbusMachines.isGatewayMachine(machine)) {
              instances.add(NimbusMachines.toInstance(machine));
            }
          }
          return instances;
        });
  }

  @Override
  public Future<Void> close() {
    closed = true;
    return http.close();
  }

  /**
   * One API call; transport failures (refused, reset, timeout) become TRANSIENT, answers are left to the
   * caller. Calls run on the provider's own context and answer on the caller's: when a request is made
   * from another thread than its pooled connection's event loop, the response can be fully received before
   * {@code body()} is asked for, and that body is then lost (the call hangs until its timeout).
   *
   * <p>Once the provider is closed a call fails PERMANENT: the closed client would throw out of {@code send}, on
   * the provider's context, and the caller's future would never complete.
   */
  private Future<NimbusResponse> call(HttpMethod method, String path, JsonObject body) {
    if (closed) {
      return Future.failedFuture(closedFailure(method, path, null));
    }
    Context caller = Vertx.currentContext();
    Promise<NimbusResponse> answer = Promise.promise();
    context.runOnContext(v -> {
      Future<NimbusResponse> sent;
      try {
        sent = send(method, path, body);
      } catch (RuntimeException thrown) {
        // However it failed, the caller gets an answer.
        sent = Future.failedFuture(closed ? closedFailure(method, path, thrown) : new CloudException(
            CloudException.Kind.PERMANENT, "Nimbus API call " + method + " " + path + " failed: " + thrown, thrown));
      }
      sent.onComplete(ar -> {
        if (caller == null || caller == context) {
          answer.handle(ar);
        } else {
          caller.runOnContext(x -> answer.handle(ar));
        }
      });
    });
    return answer.future();
  }

  private static CloudException closedFailure(HttpMethod method, String path, Throwable cause) {
    return new CloudException(CloudException.Kind.PERMANENT,
        "Nimbus API call " + method + " " + path + " not made: the provider is closed", cause);
  }

  private Future<NimbusResponse> send(HttpMethod method, String path, JsonObject body) {
    RequestOptions options = new RequestOptions()
        .setMethod(method)
        .setAbsoluteURI(settings.apiUrl() + path)
        .setTimeout(settings.requestTimeout().toMillis())
        .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + settings.token())
        .putHeader(HttpHeaders.ACCEPT, "application/json");
    return http.request(options)
        .compose(request -> body == null
            ? request.send()
            : request.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").send(body.toBuffer()))
        .compose(response -> response.body().map(buffer ->
            new NimbusResponse(response.statusCode(), response.getHeader(HttpHeaders.RETRY_AFTER), buffer)))
        .recover(e -> Future.failedFuture(e instanceof CloudException ? e
            : new CloudException(CloudException.Kind.TRANSIENT,
                "Nimbus API call " + method + " " + path + " failed: " + e.getMessage(), e)));
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** An answer of the Nimbus API. */
  private record NimbusResponse(int status, String retryAfter, Buffer body) {

    JsonObject json() {
      try {
        return body.toJsonObject();
      } catch (DecodeException | ClassCastException e) {
        throw new CloudException(CloudException.Kind.PERMANENT, "Nimbus answered " + status + " with a body that is not a JSON object", e);
      }
    }

    String errorMessage() {
      try {
        JsonObject json = body.toJsonObject();
        return json.getString("message", json.getString("error", body.toString()));
      } catch (RuntimeException e) {
        return body.toString();
      }
    }

    /** Maps an unwanted answer to the gateway's error kinds (DESIGN section 8). */
    CloudException failure(String doing) {
      String detail = "Nimbus answered " + status + " when " + doing + ": " + errorMessage();
      if (status == 429) {
        // The SPI has no field for it: the gateway's own retry backoff applies; keep the hint for operators.
        return new CloudException(CloudException.Kind.TRANSIENT,
            "Nimbus rate limit (429) when " + doing + (retryAfter != null ? "; Retry-After: " + retryAfter + "s" : ""));
      }
      if (status >= 500) {
        return new CloudException(CloudException.Kind.TRANSIENT, detail);
      }
      return switch (status) {
        case 401 -> new CloudException(CloudException.Kind.PERMANENT, detail + " (check provider.token)");
        case 403 -> new CloudException(CloudException.Kind.REFUSED, detail);
        case 404 -> new CloudException(CloudException.Kind.INSTANCE_NOT_FOUND, detail);
        case 409 -> new CloudException(CloudException.Kind.CAPACITY, detail);
        default -> new CloudException(CloudException.Kind.PERMANENT, detail);
      };
    }
  }
}
