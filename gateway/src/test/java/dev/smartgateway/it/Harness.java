package dev.smartgateway.it;

import dev.smartgateway.Gateway;
import dev.smartgateway.cloudmock.MockCloud;
import dev.smartgateway.cloudmock.MockCloudOptions;
import dev.smartgateway.config.ConfigLoader;
import dev.smartgateway.config.GatewayConfig;
import dev.smartgateway.config.StoreConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A real mock cloud and a real gateway on ephemeral loopback ports, and a client to talk to them. Tests
 * block their own JUnit thread on futures (never an event loop) and wait on conditions with deadlines.
 */
final class Harness implements AutoCloseable {

  static final Duration DEADLINE = Duration.ofSeconds(30);

  final Vertx vertx;
  final MockCloud mock;
  final HttpClientAgent client;
  /** Every client call starts on this context: driving a Vert.x client from a foreign thread can lose a response. */
  private final Context context;
  private final String gatewayYaml;
  /** Where Vert.x's own metrics go, for a harness whose Vert.x has them ({@link #startWithVertxMetrics}); else null. */
  private io.micrometer.prometheusmetrics.PrometheusMeterRegistry vertxMetrics;
  /** How the gateway reads environment variables the configuration names (access.jwt.secretEnv). */
  private java.util.function.Function<String, String> env = System::getenv;
  Gateway gateway;

  private Harness(Vertx vertx, MockCloud mock, String gatewayYaml) {
    this.vertx = vertx;
    this.mock = mock;
    this.gatewayYaml = gatewayYaml;
    this.context = vertx.getOrCreateContext();
    this.client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true))
        .with(new PoolOptions().setHttp1MaxSize(1000).setMaxWaitQueueSize(-1))
        .build();
  }

  /**
   * Starts a mock cloud (seeded boot delays in [bootMinMs, bootMaxMs]) and a gateway on it.
   *
   * @param resourcesYaml the gateway's {@code defaults:} and {@code resources:} sections (may be empty)
   */
  static Harness start(long bootMinMs, long bootMaxMs, String resourcesYaml) {
    return start("", bootMinMs, bootMaxMs, "", resourcesYaml);
  }

  /** @param providerExtras more keys of the mock adapter, e.g. {@code "events: false"} */
  static Harness start(long bootMinMs, long bootMaxMs, String providerExtras, String resourcesYaml) {
    return start("", bootMinMs, bootMaxMs, providerExtras, resourcesYaml);
  }

  /** @param serverKeys more {@code server:} keys, as YAML flow-map entries (e.g. {@code "maxBodySize: 1k"}) */
  static Harness start(String serverKeys, long bootMinMs, long bootMaxMs, String resourcesYaml) {
    return start(serverKeys, bootMinMs, bootMaxMs, "", resourcesYaml);
  }

  static Harness start(String serverKeys, long bootMinMs, long bootMaxMs, String providerExtras, String resourcesYaml) {
    return start(MockCloudOptions.defaults().withBootDelay(bootMinMs, bootMaxMs), serverKeys, providerExtras, resourcesYaml);
  }

  /** A gateway on a mock cloud with these options (on loopback, seeded). */
  static Harness start(MockCloudOptions mockOptions, String serverKeys, String providerExtras, String resourcesYaml) {
    return start(Vertx.vertx(), null, mockOptions, serverKeys, providerExtras, resourcesYaml, System::getenv);
  }

  /**
   * As {@link #start(long, long, String)}, the gateway reading these environment variables instead of the
   * process's (for {@code access.jwt.secretEnv}).
   */
  static Harness startWithEnv(long bootMinMs, long bootMaxMs, String yaml, java.util.Map<String, String> env) {
    return start(Vertx.vertx(), null, MockCloudOptions.defaults().withBootDelay(bootMinMs, bootMaxMs), "", "", yaml,
        env::get);
  }

  /**
   * As {@link #start(long, long, String)}, on a Vert.x created as {@code GatewayMain} creates it: with Vert.x's own
   * metrics (HTTP server and client, JVM) beside the gateway's at {@code /metrics}.
   */
  static Harness startWithVertxMetrics(long bootMinMs, long bootMaxMs, String resourcesYaml) {
    dev.smartgateway.observe.metrics.MetricsVertx.Created created =
        dev.smartgateway.observe.metrics.MetricsVertx.create(new dev.smartgateway.config.MetricsConfig(true, true, 100));
    return start(created.vertx(), created.registry(), MockCloudOptions.defaults().withBootDelay(bootMinMs, bootMaxMs),
        "", "", resourcesYaml, System::getenv);
  }

  private static Harness start(Vertx vertx, io.micrometer.prometheusmetrics.PrometheusMeterRegistry vertxMetrics,
                               MockCloudOptions mockOptions, String serverKeys, String providerExtras,
                               String resourcesYaml, java.util.function.Function<String, String> env) {
    MockCloud mock;
    try {
      mock = await(MockCloud.start(vertx, mockOptions.withHost("127.0.0.1").withPort(0).withSeed(42L)));
    } catch (RuntimeException | Error e) {
      vertx.close();
      throw e;
    }
    String yaml = "server: {host: 127.0.0.1, port: 0" + (serverKeys.isEmpty() ? "" : ", " + serverKeys) + "}\n"
        + "provider: {type: mock, url: '" + mock.baseUrl() + "'" + (providerExtras.isEmpty() ? "" : ", " + providerExtras) + "}\n"
        + resourcesYaml;
    Harness harness = new Harness(vertx, mock, yaml);
    harness.vertxMetrics = vertxMetrics;
    harness.env = env;
    harness.startOrClose();
    return harness;
  }

  /** A gateway on its own configuration (another provider than the mock); no mock cloud is started. */
  static Harness gatewayOnly(String yaml) {
    Harness harness = new Harness(Vertx.vertx(), null, yaml);
    harness.startOrClose();
    return harness;
  }

  /**
   * Starts the gateway. Unless the YAML says otherwise, its admin listener takes a free port and its store is
   * in memory (a test that restarts a gateway and expects it to remember sets {@code store:} and {@code state:}).
   */
  void startGateway() {
    GatewayConfig config = ConfigLoader.parse(gatewayYaml, "test");
    if (!gatewayYaml.contains("admin:")) {
      config = config.with(config.admin().withPort(0), config.store());
    }
    if (!gatewayYaml.contains("store:")) {
      config = config.with(config.admin(), StoreConfig.memory());
    }
    gateway = await(Gateway.start(vertx, config, vertxMetrics, env));
  }

  int adminPort() {
    return gateway.adminPort();
  }

  /** A call to the admin API, with a bearer token if {@code token} is not null. */
  Reply admin(HttpMethod method, String path, String body, String token) {
    List<String> headers = new ArrayList<>();
    if (token != null) {
      headers.addAll(List.of("Authorization", "Bearer " + token));
    }
    if (body != null) {
      headers.addAll(List.of("Content-Type", "application/json"));
    }
    return adminWith(method, path, body, headers.toArray(String[]::new));
  }

  /** A call to the admin API with these request headers (name, value, ...), no token. */
  Reply adminWith(HttpMethod method, String path, String body, String... headers) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(adminPort())
        .setURI(path);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      options.putHeader(headers[i], headers[i + 1]);
    }
    return await(onContext(() -> client.request(options)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b)))));
  }

  Reply admin(HttpMethod method, String path, String body) {
    return admin(method, path, body, null);
  }

  /** {@code GET /metrics} on the admin listener (no token). */
  Reply metrics() {
    return admin(HttpMethod.GET, "/metrics", null);
  }

  /** A GET on the admin listener with these request headers (name, value, ...) and no token. */
  Reply adminGet(String path, String... headers) {
    return adminWith(HttpMethod.GET, path, null, headers);
  }

  void stopGateway() {
    await(gateway.close());
  }

  int port() {
    return gateway.port();
  }

  /** A request to the gateway; the body, if any, is sent with a Content-Length. */
  Future<Reply> send(HttpMethod method, String uri, Buffer body, String... headers) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port()).setURI(uri);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      options.addHeader(headers[i], headers[i + 1]);
    }
    return onContext(() -> client.request(options)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b))));
  }

  /** Runs an asynchronous step on the harness's own context, whatever thread asks for it. */
  <T> Future<T> onContext(java.util.function.Supplier<Future<T>> step) {
    io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
    context.runOnContext(v -> step.get().onComplete(promise));
    return promise.future();
  }

  Future<Reply> get(String uri, String... headers) {
    return send(HttpMethod.GET, uri, null, headers);
  }

  /** The mock's counters: started, running, stopped, failed, apiCalls. */
  JsonObject stats() {
    return mockApi(HttpMethod.GET, "/api/stats", null).body().toJsonObject();
  }

  JsonArray vms() {
    return mockApi(HttpMethod.GET, "/api/vms", null).body().toJsonArray();
  }

  JsonObject vm(String id) {
    return mockApi(HttpMethod.GET, "/api/vms/" + id, null).body().toJsonObject();
  }

  void faults(JsonObject faults) {
    mockApi(HttpMethod.PUT, "/api/faults", faults.toBuffer());
  }

  Reply mockApi(HttpMethod method, String uri, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(mock.port()).setURI(uri);
    return await(onContext(() -> client.request(options)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b)))));
  }

  /**
   * Nothing leaked: no request held, no stop unconfirmed, and the VMs the mock runs (or boots) are exactly
   * the ones the gateway knows as alive — no VM the gateway forgot, none it believes in that is gone.
   */
  void assertNoLeaks() {
    eventually("no held request, no pending stop, and the cloud's live VMs are the gateway's", () -> {
      if (gateway.lifecycle().waiting() != 0 || gateway.lifecycle().pendingStops() != 0) {
        return false;
      }
      java.util.Set<String> cloud = new java.util.TreeSet<>();
      for (Object o : vms()) {
        JsonObject vm = (JsonObject) o;
        String state = vm.getString("state");
        if (state.equals("RUNNING") || state.equals("BOOTING") || state.equals("PENDING")) {
          cloud.add(vm.getString("id"));
        }
      }
      java.util.Set<String> known = new java.util.TreeSet<>();
      for (var view : await(gateway.lifecycle().instances())) {
        if (view.instanceId() != null && !view.state().name().equals("STOPPED") && !view.state().name().equals("FAILED")) {
          known.add(view.instanceId());
        }
      }
      return cloud.equals(known);
    });
  }

  /** Every client connection the gateway accepted has been closed (tests whose own sockets all end). */
  void assertClientConnectionsClosed() {
    eventually("every client connection is closed", Duration.ofSeconds(10),
        () -> gateway.connections().open() == 0);
  }

  @Override
  public void close() {
    try {
      if (gateway != null) {
        await(gateway.close());
      }
      if (mock != null) {
        await(mock.close());
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
  }

  static <T> T await(Future<T> future) {
    return await(future, DEADLINE);
  }

  static <T> T await(Future<T> future, Duration deadline) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new AssertionError(cause);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within " + deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Polls {@code condition} until it holds, failing with {@code what} after the deadline. */
  static void eventually(String what, Duration deadline, Supplier<Boolean> condition) {
    long end = System.nanoTime() + deadline.toNanos();
    long pause = 10;
    while (true) {
      if (Boolean.TRUE.equals(condition.get())) {
        return;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + deadline + ": " + what);
      }
      // The JUnit thread polls; it is not an event loop.
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pause));
      pause = Math.min(100, pause * 2);
    }
  }

  static void eventually(String what, Supplier<Boolean> condition) {
    eventually(what, DEADLINE, condition);
  }

  record Reply(int status, io.vertx.core.MultiMap headers, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }

    String header(String name) {
      return headers.get(name);
    }
  }

  // ------------------------------------------------------------------ added for the failure-behaviour rows

  /** Starts the gateway; if that fails, closes everything this harness started before rethrowing. */
  private void startOrClose() {
    try {
      startGateway();
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /** Records the running gateway's lifecycle events from now on (a restarted gateway needs a new recorder). */
  LifecycleRecorder recordEvents() {
    return LifecycleRecorder.of(gateway);
  }

  /** Sets mock faults from a JSON object literal, e.g. {@code "{\"stopError\":true,\"stopFaultCalls\":2}"}. */
  void faults(String json) {
    Reply reply = mockApi(HttpMethod.PUT, "/api/faults", Buffer.buffer(json));
    if (reply.status() != 200) {
      throw new AssertionError("PUT /api/faults " + json + ": " + reply.status() + " " + reply.body());
    }
  }

  /** The mock's count of calls of one kind so far: start, describe, stop or list. */
  int calls(String kind) {
    return stats().getJsonObject("calls").getInteger(kind);
  }

  /** Crashes the VM in the mock (its server and connections are closed when this returns). */
  void crash(String vmId) {
    Reply reply = mockApi(HttpMethod.POST, "/api/vms/" + vmId + "/crash", null);
    if (reply.status() != 200) {
      throw new AssertionError("crash " + vmId + ": " + reply.status() + " " + reply.body());
    }
  }

  /** The mock's state of the VM (BOOTING, RUNNING, STOPPING, STOPPED, FAILED). */
  String vmState(String vmId) {
    return vm(vmId).getString("state");
  }

  /** Waits until the gateway holds exactly {@code n} requests. */
  void awaitWaiting(int n) {
    eventually(n + " requests held (now " + gateway.lifecycle().waiting() + ")",
        () -> gateway.lifecycle().waiting() == n);
  }

  /** Waits until the gateway forwards exactly {@code n} requests to its VMs. */
  void awaitInFlight(int n) {
    eventually(n + " requests in flight", () -> await(gateway.lifecycle().instances()).stream()
        .mapToInt(dev.smartgateway.lifecycle.InstanceView::inFlight).sum() == n);
  }

  /** A problem answer, checked field by field: status, content type, {@code type}, {@code status} and resource. */
  static JsonObject assertProblem(Reply reply, int status, String slug, String resource) {
    if (reply.status() != status) {
      throw new AssertionError("expected " + status + " " + slug + ", got " + reply.status() + " " + reply.body());
    }
    org.assertj.core.api.Assertions.assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = reply.json();
    org.assertj.core.api.Assertions.assertThat(problem.getString("type")).as("problem type of %s", problem)
        .isEqualTo("urn:smart-gateway:problem:" + slug);
    org.assertj.core.api.Assertions.assertThat(problem.getInteger("status")).isEqualTo(status);
    org.assertj.core.api.Assertions.assertThat(problem.getString("resource")).isEqualTo(resource);
    return problem;
  }

  /**
   * Sends {@code uri} until it is answered 200 (a pool backing off after a failed start answers its failure
   * until the backoff is over); every other answer must be {@code meanwhile} and must start nothing.
   */
  Reply servedAfterTheBackoff(String uri, String meanwhile) {
    int starts = calls("start");
    Reply[] last = new Reply[1];
    eventually("served once the start backoff is over", () -> {
      last[0] = await(get(uri));
      if (last[0].status() != 200) {
        assertThat(last[0].json().getString("type")).endsWith(":" + meanwhile);
        assertThat(last[0].header("Retry-After")).isNotNull();
        assertThat(calls("start")).as("no start during the backoff").isEqualTo(starts);
      }
      return last[0].status() == 200;
    });
    return last[0];
  }

  // ------------------------------------------------------------------ added for ownership

  /**
   * Another gateway, on a Vert.x of its own, on this harness's mock cloud (which stays this harness's to close):
   * two gateways sharing one cloud. Closing it closes its gateway and its Vert.x only.
   *
   * @param yaml its {@code gateway:}, {@code defaults:} and {@code resources:} sections
   */
  Harness anotherGatewayOnThisMock(String yaml) {
    String full = "server: {host: 127.0.0.1, port: 0}\n"
        + "provider: {type: mock, url: '" + mock.baseUrl() + "'}\n" + yaml;
    Harness other = new Harness(Vertx.vertx(), null, full);
    other.startOrClose();
    return other;
  }
}
