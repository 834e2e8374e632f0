package dev.smartgateway.it;

import dev.smartgateway.cloudmock.MockCloud;
import dev.smartgateway.cloudmock.MockCloudOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Three gateway JVMs as one cluster (DESIGN section 10) in front of one mock cloud on loopback: the mock runs in
 * this JVM, each gateway is {@code GatewayMain} in a JVM of its own (from this class path), a Hazelcast member on a
 * free port, listing all three; the cluster's name is new for each harness, so no other run can join it. The
 * first gateway starts alone, the other two join it; {@link #start} returns once all three see a cluster of three.
 * {@link #close} kills whatever still runs.
 */
final class ClusterHarness implements AutoCloseable {

  static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final List<String> JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "-Xss512k");

  final Vertx vertx;
  final MockCloud mock;
  final HttpClient client;
  private final HttpClient statsClient;
  private final Path dir;
  private final List<GatewayProcess> gateways = new ArrayList<>();
  /** Every access log line of every gateway this harness ran, in no particular order between gateways. */
  private final java.util.Queue<String> accessLog = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final List<AccessLogOf> accessLogs = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Each gateway's configuration file, kept for a restart. */
  private final List<Path> configs = new ArrayList<>();

  private ClusterHarness(Vertx vertx, MockCloud mock, Path dir) {
    this.vertx = vertx;
    this.mock = mock;
    this.dir = dir;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(1000).setMaxWaitQueueSize(10_000));
    this.statsClient = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  /**
   * @param defaults the gateways' {@code defaults:} keys, e.g. {@code idleTimeout: 4s}
   * @param cluster  more {@code cluster:} keys (timeouts)
   */
  static ClusterHarness start(long bootMinMs, long bootMaxMs, String defaults, String cluster) throws Exception {
    return start(bootMinMs, bootMaxMs, defaults, cluster, "admin: {enabled: false}\nstore: {type: memory}\n");
  }

  /** @param sections the gateways' {@code admin:} and {@code store:} sections */
  static ClusterHarness start(long bootMinMs, long bootMaxMs, String defaults, String cluster, String sections)
      throws Exception {
    return start(bootMinMs, bootMaxMs, defaults, cluster, sections, "");
  }

  /** @param server more {@code server:} keys, e.g. {@code shutdownGrace: 2s} */
  static ClusterHarness start(long bootMinMs, long bootMaxMs, String defaults, String cluster, String sections,
                              String server) throws Exception {
    Vertx vertx = Vertx.vertx();
    MockCloud mock = MockCloud.start(vertx, MockCloudOptions.defaults().withBootDelay(bootMinMs, bootMaxMs)
        .withHost("127.0.0.1").withPort(0).withSeed(42L)).toCompletionStage().toCompletableFuture().get();
    ClusterHarness harness = new ClusterHarness(vertx, mock, Files.createTempDirectory("sg-cluster"));
    try {
      harness.launch(defaults, cluster, sections, server);
      return harness;
    } catch (Exception | Error e) {
      harness.close();
      throw e;
    }
  }

  private void launch(String defaults, String clusterKeys, String sections, String server) throws Exception {
    String name = "it-" + UUID.randomUUID().toString().substring(0, 8);
    int[] ports = {freePort(), freePort(), freePort()};
    String members = IntStream.of(ports).mapToObj(p -> "'127.0.0.1:" + p + "'").collect(Collectors.joining(", "));
    for (int i = 0; i < 3; i++) {
      Path config = dir.resolve("gateway-" + i + ".yaml");
      Files.writeString(config, "gateway: {id: gw-" + i + "}\n"
          + "server: {host: 127.0.0.1, port: 0" + (server.isEmpty() ? "" : ", " + server) + "}\n"
          + "provider: {type: mock, url: '" + mock.baseUrl() + "'}\n"
          + sections
          + "defaults: {" + defaults + "}\n"
          + "cluster: {enabled: true, name: " + name + ", host: 127.0.0.1, port: " + ports[i] + ", members: ["
          + members + "]" + (clusterKeys.isEmpty() ? "" : ", " + clusterKeys) + "}\n");
      configs.add(config);
    }
    // The first forms the cluster; the others join it (started together, two lone members could form two).
    gateways.add(launch(configs.get(0)));
    List<CompletableFuture<GatewayProcess>> joining = configs.subList(1, 3).stream()
        .map(config -> CompletableFuture.supplyAsync(() -> {
          try {
            return launch(config);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        })).toList();
    for (CompletableFuture<GatewayProcess> gateway : joining) {
      gateways.add(gateway.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
    }
    for (int i = 0; i < 3; i++) {
      int at = i;
      waitFor("gateway " + i + " to see a cluster of three", () -> gateways.get(at).output().contains("cluster size 3"));
    }
  }

  private GatewayProcess launch(Path config) throws Exception {
    // stdout is the access log: read as it comes, so the gateway never blocks on a full pipe, and kept.
    CompletableFuture<Void> ended = new CompletableFuture<>();
    GatewayProcess process = GatewayProcess.fromClassPath(config, JVM, dir, in -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          accessLog.add(line);
        }
      } catch (IOException ignored) {
        // the gateway ended
      } finally {
        ended.complete(null);
      }
    });
    accessLogs.add(new AccessLogOf(process, ended));
    return process;
  }

  /**
   * Whether any gateway, past or present, wrote an access log line containing {@code text} (e.g. a request's
   * unique query): the lines of every gateway that has exited are all read first (a running one writes its lines
   * a little later than it answers: stop it first to be sure of its whole log).
   */
  boolean accessLogged(String text) throws Exception {
    for (AccessLogOf log : accessLogs) {
      if (!log.process().isAlive()) {
        log.ended().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      }
    }
    return accessLog.stream().anyMatch(line -> line.contains(text));
  }

  /** A gateway process and the end of its stdout (its access log), read to the last line. */
  private record AccessLogOf(GatewayProcess process, CompletableFuture<Void> ended) {
  }

  GatewayProcess gateway(int i) {
    synchronized (gateways) {
      return gateways.get(i);
    }
  }

  /**
   * Stops gateway {@code i} gracefully (SIGTERM: its shutdown drains) and starts it again from the same
   * configuration; returns once it has rejoined: it sees a cluster of three, and so does each of the others again.
   *
   * @return whether it ended by itself within {@code drainDeadline} (false: it had to be killed)
   */
  boolean restart(int i, Duration drainDeadline) throws Exception {
    int[] sizeThreeBefore = new int[3];
    for (int j = 0; j < 3; j++) {
      sizeThreeBefore[j] = linesWith(j, "cluster size 3");
    }
    boolean graceful = gateway(i).stop(drainDeadline);
    GatewayProcess started = launch(configs.get(i));
    synchronized (gateways) {
      gateways.set(i, started);
    }
    waitFor("the restarted gateway " + i + " to see a cluster of three",
        () -> started.output().contains("cluster size 3"));
    for (int j = 0; j < 3; j++) {
      int at = j;
      if (j != i) {
        // "cluster size 3" once more: the member that left has joined again, as this one sees it.
        waitFor("gateway " + j + " to see gateway " + i + " rejoin", () -> linesWith(at, "cluster size 3")
            > sizeThreeBefore[at]);
      }
    }
    return graceful;
  }

  /** Stops every gateway gracefully (SIGTERM), all at once; returns once all have ended (killed after the deadline). */
  void stopAll(Duration deadline) throws Exception {
    List<CompletableFuture<Boolean>> stopping = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      GatewayProcess gateway = gateway(i);
      stopping.add(CompletableFuture.supplyAsync(() -> {
        try {
          return gateway.stop(deadline);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }));
    }
    CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new))
        .get(deadline.toSeconds() + 15, TimeUnit.SECONDS);
  }

  /** How many lines of gateway {@code i}'s operational log contain {@code text}. */
  int linesWith(int i, String text) {
    return (int) gateway(i).output().lines().filter(line -> line.contains(text)).count();
  }

  /** A GET through gateway {@code i}: its status and body, or a failed future if the connection broke. */
  Future<Reply> get(int i, String uri) {
    return client.request(HttpMethod.GET, gateway(i).port(), "127.0.0.1", uri)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(body -> new Reply(resp.statusCode(), body.toString(),
            resp.getHeader("Retry-After"))));
  }

  Reply await(Future<Reply> reply) throws Exception {
    return reply.toCompletionStage().toCompletableFuture().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
  }

  /** A GET of gateway {@code i}'s admin API (its listener on loopback needs no token), as JSON. */
  JsonObject admin(int i, String uri) throws Exception {
    return admin(i, HttpMethod.GET, uri, 200);
  }

  /** A call to gateway {@code i}'s admin API that must answer {@code status}, as JSON. */
  JsonObject admin(int i, HttpMethod method, String uri, int status) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1")
        .setPort(gateway(i).adminPort()).setURI(uri).setIdleTimeout(10_000);
    return statsClient.request(options).compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> {
          if (resp.statusCode() != status) {
            throw new IllegalStateException(uri + " on gateway " + i + ": " + resp.statusCode() + " " + b);
          }
          return b.toJsonObject();
        }))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** The mock cloud's counters: started, running, stopped, failed. */
  JsonObject stats() throws Exception {
    // A connection of its own each time, with a deadline: never queued behind the burst's.
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(mock.port())
        .setURI("/api/stats").setIdleTimeout(5_000).setConnectTimeout(5_000).putHeader("Connection", "close");
    try {
      // Three tries of 10 s: once in a few runs this call, around the VM's stop, got no answer on a loaded machine
      // (the gateways behaved; the cause is not known yet — the dump below is for when all three tries fail).
      java.util.concurrent.TimeoutException last = null;
      for (int attempt = 0; attempt < 3; attempt++) {
        try {
          return statsClient.request(options)
              .compose(req -> req.send()).compose(resp -> resp.body()).map(b -> b.toJsonObject())
              .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          last = e;
        }
      }
      throw last;
    } catch (java.util.concurrent.TimeoutException e) {
      StringBuilder dump = new StringBuilder("stats timed out; threads:\n");
      Thread.getAllStackTraces().forEach((t, st) -> {
        if (t.getName().startsWith("vert.x")) {
          dump.append(t.getName()).append(' ').append(t.getState()).append('\n');
          for (int i = 0; i < Math.min(12, st.length); i++) {
            dump.append("    ").append(st[i]).append('\n');
          }
        }
      });
      throw new IllegalStateException(dump.toString(), e);
    }
  }

  long stat(String name) throws Exception {
    return stats().getLong(name);
  }

  static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
    waitFor(what, DEADLINE, condition);
  }

  static void waitFor(String what, Duration deadline, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("timed out after " + deadline + " waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  /** Every gateway's operational log, for a failing test's message. */
  String outputs() {
    StringBuilder all = new StringBuilder();
    List<GatewayProcess> now;
    synchronized (gateways) {
      now = List.copyOf(gateways);
    }
    for (int i = 0; i < now.size(); i++) {
      all.append("---- gateway ").append(i).append(":\n").append(now.get(i).output()).append('\n');
    }
    return all.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    synchronized (gateways) {
      for (GatewayProcess gateway : gateways) {
        gateway.kill();
      }
    }
    client.close();
    statsClient.close();
    mock.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** @param retryAfter its Retry-After header, or null */
  record Reply(int status, String body, String retryAfter) {
  }
}
