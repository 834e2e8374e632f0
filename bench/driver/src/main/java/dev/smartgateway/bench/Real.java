package dev.smartgateway.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code real --gateway URL --admin URL --resource R [--path P] --runs K --out FILE [--suspend true]}: cold starts of a real
 * machine (a QEMU VM, a Docker container) through a running gateway, one request at a time. Each run makes sure
 * nothing runs (a forced stop by hand through the admin API), sends one request, and splits its time with the
 * gateway's own lifecycle events: until the adapter reported the machine RUNNING (WARMING: the start call, and for a
 * container its start and the adapter's own readiness check; for QEMU the VM process is up, the guest still booting),
 * until the gateway's readiness probe got its answer from the guest (READY), and the gateway's own share — from the
 * probe's answer to the first response byte at the client (releasing the held request and forwarding it). With
 * {@code --suspend}, the VM is then left to idle into SUSPENDED and one more request times suspend → resume →
 * first response. Blocking calls: this is a command-line tool, not the gateway.
 */
final class Real {

  private static final Duration DEADLINE = Duration.ofMinutes(3);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String gateway;
  private final String admin;
  private final String resource;
  private final String path;

  private Real(String gateway, String admin, String resource, String path) {
    this.gateway = gateway;
    this.admin = admin;
    this.resource = resource;
    this.path = path;
  }

  static void run(Args a) throws Exception {
    Real real = new Real(a.str("gateway"), a.str("admin"), a.str("resource"), a.str("path", "/"));
    boolean suspend = Boolean.parseBoolean(a.str("suspend", "false"));
    JsonArray runs = new JsonArray();
    for (int i = 1; i <= a.integer("runs", 3); i++) {
      JsonObject run = real.coldRun();
      if (suspend) {
        run.put("resume", real.resumeRun());
      }
      System.err.printf("real %s run %d: %s%n", real.resource, i, run.encode());
      runs.add(run);
    }
    real.stopAll(); // an adapter may leave its machines running for the next gateway to adopt: not the bench's
    Files.writeString(Path.of(a.str("out")), new JsonObject().put("resource", real.resource).put("runs", runs)
        .encodePrettily());
  }

  private JsonObject coldRun() throws Exception {
    stopAll();
    long sent = System.currentTimeMillis();
    long firstByte = timedGet("cold");
    JsonObject starting = event("STARTING", sent);
    JsonObject warming = eventOf("WARMING", starting.getString("ref"), sent);
    JsonObject ready = eventOf("READY", starting.getString("ref"), sent);
    return new JsonObject()
        .put("firstResponseMs", firstByte - sent)
        .put("guestDirectMs", directAnswerMs())
        .put("untilRunningMs", warming.getLong("at") - sent)
        .put("untilGuestAnsweredMs", ready.getLong("at") - warming.getLong("at"))
        .put("gatewayShareMs", firstByte - ready.getLong("at"));
  }

  private JsonObject resumeRun() throws Exception {
    JsonObject suspended = await("SUSPENDED", 0);
    long sent = System.currentTimeMillis();
    long firstByte = timedGet("resumed");
    JsonObject resumed = eventOf("RESUMED", suspended.getString("ref"), suspended.getLong("at"));
    JsonObject ready = eventOf("READY", suspended.getString("ref"), resumed.getLong("at"));
    return new JsonObject()
        .put("firstResponseMs", firstByte - sent)
        .put("resumeCallAndProbeMs", ready.getLong("at") - resumed.getLong("at"));
  }

  /**
   * Sends one GET through the gateway for {@code --path} + {@code last} (the machine's answering path, e.g. a CGI);
   * answers the time its status line arrived (epoch ms).
   */
  private long timedGet(String last) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/smart_proxy/" + resource + "/bench" + path + last))
        .timeout(DEADLINE).GET().build();
    HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    long headers = System.currentTimeMillis();
    try (java.io.InputStream body = response.body()) {
      body.readAllBytes();
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException(path + last + ": HTTP " + response.statusCode());
    }
    return headers;
  }

  /**
   * The guest's own time for one request of the same kind, straight to the instance's endpoint (no gateway): the
   * gateway's share of a cold start includes the guest's answer to the first request, so this is its baseline.
   */
  private long directAnswerMs() throws Exception {
    JsonArray instances = get(admin + "/admin/instances?resource=" + resource).getJsonArray("instances");
    String endpoint = instances.isEmpty() ? null : instances.getJsonObject(0).getString("endpoint");
    if (endpoint == null) {
      return -1;
    }
    long start = System.nanoTime();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + endpoint + path + "direct")).timeout(DEADLINE)
        .GET().build();
    HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    long headers = System.nanoTime();
    try (java.io.InputStream body = response.body()) {
      body.readAllBytes();
    }
    return (headers - start) / 1_000_000;
  }

  /** Stops every instance of the resource by hand (forced) and waits until none is left. */
  private void stopAll() throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      JsonArray instances = get(admin + "/admin/instances?resource=" + resource).getJsonArray("instances");
      if (instances.isEmpty()) {
        return;
      }
      for (Object o : instances) {
        String ref = ((JsonObject) o).getString("ref");
        http.send(HttpRequest.newBuilder(URI.create(admin + "/admin/instances/" + ref + "/stop?force=true"))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("instances of " + resource + " still listed: " + instances.encode());
      }
      Thread.sleep(200); // a CLI polling the admin API, not a test
    }
  }

  private JsonObject event(String type, long since) throws Exception {
    return await(type, since);
  }

  private JsonObject eventOf(String type, String ref, long since) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      for (JsonObject e : events(type, since)) {
        if (ref.equals(e.getString("ref"))) {
          return e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no " + type + " event for " + ref);
      }
      Thread.sleep(100);
    }
  }

  private JsonObject await(String type, long since) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      List<JsonObject> found = events(type, since);
      if (!found.isEmpty()) {
        return found.get(found.size() - 1);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no " + type + " event for " + resource);
      }
      Thread.sleep(100);
    }
  }

  private List<JsonObject> events(String type, long since) throws Exception {
    JsonArray all = get(admin + "/admin/events?resource=" + resource + "&type=" + type + "&since=" + since)
        .getJsonArray("events");
    List<JsonObject> out = new ArrayList<>();
    for (Object o : all) {
      JsonObject e = (JsonObject) o;
      if ("lifecycle".equals(e.getString("category"))) {
        out.add(e);
      }
    }
    return out;
  }

  private JsonObject get(String url) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(url + ": HTTP " + response.statusCode() + " " + response.body());
    }
    return new JsonObject(response.body());
  }
}
