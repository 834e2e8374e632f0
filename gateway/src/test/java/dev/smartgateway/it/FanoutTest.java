package dev.smartgateway.it;

import dev.smartgateway.cloudmock.MockCloudOptions;
import dev.smartgateway.config.AdminConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /admin/fanout} against a real gateway on a real mock cloud: one NDJSON line per target, written
 * as each completes, under the concurrency bound, the body limit and the per-target timeout, and stopped by a
 * reader that goes away or falls behind. Boot delays are short and seeded; nothing sleeps, every wait is on a
 * condition with a deadline.
 */
class FanoutTest {

  private final List<AutoCloseable> closing = new ArrayList<>();
  private Harness harness;
  private FanoutAdmin admin;

  @AfterEach
  void stop() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  @Test
  void linesStreamAsTargetsCompleteWithEveryOutcomeOnItsOwnLine() {
    List<String> warm = names("warm", 5);
    List<String> cold = names("cold", 8);
    List<String> failing = names("fail", 3);
    List<String> unknown = names("unknown", 4);
    Set<String> knownToTheMock = new HashSet<>(warm);
    knownToTheMock.addAll(cold);
    knownToTheMock.addAll(failing);
    start(MockCloudOptions.defaults().withBootDelay(10, 40).withResources(knownToTheMock), "");
    await(Future.all(warm.stream().map(r -> harness.get("/smart_proxy/" + r + "/g1/")).toList()));
    // From here every boot is held: the test decides when each cold VM fails or becomes ready.
    harness.faults("{\"holdBoots\":true}");

    // Cold ones listed first: lines come in the order targets complete, not in the order they were named.
    List<String> targets = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      targets.add(cold.get(i));
      for (List<String> group : List.of(failing, warm, unknown)) {
        if (i < group.size()) {
          targets.add(group.get(i));
        }
      }
    }
    assertThat(targets).hasSize(20).doesNotHaveDuplicates();

    try (NdjsonStream stream = admin.post(new JsonObject().put("targets", new JsonArray(targets))
        .put("groups", new JsonArray().add("g1")).put("path", "/echo?x=1").put("concurrency", 20).encode())) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.header("content-type")).isEqualTo("application/x-ndjson");
      assertThat(stream.header("transfer-encoding")).isEqualTo("chunked");
      assertThat(stream.header("x-fanout-targets")).isEqualTo("20");

      // The warm VMs answer and the cloud refuses the unknown resources while every other VM is held booting.
      Set<String> first = readLines(stream, 9);
      assertThat(first).containsExactlyInAnyOrderElementsOf(concat(warm, unknown));
      eventually("the cold and failing targets' VMs all booting", () -> vmStates("cold-", "fail-").size() == 11);
      assertThat(vmStates("cold-", "fail-").values()).as("VMs when the first nine lines were in").containsOnly("BOOTING");

      // Three VMs fail to boot: their targets' lines come next, 502 boot-failed, the others still booting.
      vmStates("fail-").keySet().forEach(harness::crash);
      assertThat(readLines(stream, 3)).containsExactlyInAnyOrderElementsOf(failing);
      assertThat(vmStates("cold-").values()).hasSize(8).containsOnly("BOOTING");

      harness.faults("{\"holdBoots\":false}");
      assertThat(readLines(stream, 8)).containsExactlyInAnyOrderElementsOf(cold);
      assertThat(stream.next()).as("the stream ends after the last target").isNull();
    }
    assertThat(harness.stats().getInteger("started")).as("warm VMs reused, the others started once").isEqualTo(16);
  }

  /** Reads {@code n} lines and checks each against what its target is: the targets, in order of arrival. */
  private Set<String> readLines(NdjsonStream stream, int n) {
    Set<String> targets = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      JsonObject line = stream.next();
      assertThat(line).as("line %d of %d", i + 1, n).isNotNull();
      String target = line.getString("target");
      assertThat(targets.add(target)).as("one line per target: %s", target).isTrue();
      assertThat(line.getBoolean("truncated")).isFalse();
      assertThat(line.getLong("ms")).isNotNegative();
      if (target.startsWith("warm-") || target.startsWith("cold-")) {
        assertEcho(line, target);
        assertThat(new JsonObject(line.getString("body")).getString("path")).isEqualTo("/echo");
        assertThat(new JsonObject(line.getString("body")).getString("query")).isEqualTo("x=1");
      } else if (target.startsWith("fail-")) {
        assertProblemLine(line, 502, "boot-failed", target);
      } else {
        assertProblemLine(line, 404, "unknown-resource", target);
      }
    }
    return targets;
  }

  /** The mock's VMs of resources with these name prefixes: id to state. */
  private java.util.Map<String, String> vmStates(String... prefixes) {
    java.util.Map<String, String> states = new java.util.TreeMap<>();
    for (Object o : harness.vms()) {
      JsonObject vm = (JsonObject) o;
      for (String prefix : prefixes) {
        if (vm.getString("resource").startsWith(prefix)) {
          states.put(vm.getString("id"), vm.getString("state"));
        }
      }
    }
    return states;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void aPatternFansOutToTheKnownResourcesItMatchesAndAnEmptyMatchIsAnEmptyStream() {
    start(MockCloudOptions.defaults().withBootDelay(10, 30), "", List.of("web-1", "web-2", "web-10", "api-1", "web"));
    try (NdjsonStream stream = admin.post("{\"pattern\":\"web-?\",\"groups\":[\"g1\"]}")) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.header("x-fanout-targets")).isEqualTo("2");
      Set<String> targets = new HashSet<>();
      for (JsonObject line = stream.next(); line != null; line = stream.next()) {
        assertEcho(line, line.getString("target"));
        targets.add(line.getString("target"));
      }
      assertThat(targets).containsExactlyInAnyOrder("web-1", "web-2");
    }
    try (NdjsonStream stream = admin.post("{\"pattern\":\"db-*\",\"groups\":[\"g1\"]}")) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.header("content-type")).isEqualTo("application/x-ndjson");
      assertThat(stream.header("x-fanout-targets")).isEqualTo("0");
      assertThat(stream.body()).isEmpty();
    }
  }

  @Test
  void neverMoreThanConcurrencyRequestsAreInFlightAndTheNextStartsAsOneCompletes() {
    start(MockCloudOptions.defaults().withBootDelay(10, 30), "");
    harness.faults("{\"holdBoots\":true}");
    List<String> targets = names("c", 6);
    try (NdjsonStream stream = admin.post(new JsonObject().put("targets", new JsonArray(targets))
        .put("groups", new JsonArray().add("g1")).put("concurrency", 2).encode())) {
      assertThat(stream.status()).isEqualTo(200);
      // Each target's VM is held booting, so a target stays in flight until the test crashes its VM.
      for (int done = 0; done < 6; done++) {
        int inFlight = Math.min(2, 6 - done);
        int started = done + inFlight;
        eventually(inFlight + " in flight after " + done + " lines", () -> harness.stats().getInteger("started") == started
            && harness.gateway.lifecycle().waiting() == inFlight && admin.fanout.inFlight() == inFlight);
        JsonObject booting = harness.vms().stream().map(JsonObject.class::cast)
            .filter(vm -> vm.getString("state").equals("BOOTING")).findFirst().orElseThrow();
        harness.crash(booting.getString("id"));
        JsonObject line = stream.next();
        assertThat(line.getString("target")).isEqualTo(booting.getString("resource"));
        assertProblemLine(line, 502, "boot-failed", booting.getString("resource"));
      }
      assertThat(stream.next()).isNull();
    }
    assertThat(harness.stats().getInteger("started")).isEqualTo(6);
  }

  @Test
  void aLineKeepsAtMostMaxBodySizeBytesAndSaysHowManyTheTargetSent() {
    start(MockCloudOptions.defaults().withBootDelay(10, 30), "");
    // Bytes i % 251: past 127 not UTF-8, so they come as base64.
    JsonObject cut = only(admin.post("{\"targets\":[\"big\"],\"groups\":[\"g1\"],\"path\":\"/bytes?n=100000\","
        + "\"maxBodySize\":1000}"));
    assertThat(cut.getInteger("status")).isEqualTo(200);
    assertThat(cut.getBoolean("truncated")).isTrue();
    assertThat(cut.getLong("bodyBytes")).isEqualTo(100_000L);
    assertThat(cut.containsKey("body")).isFalse();
    byte[] kept = Base64.getDecoder().decode(cut.getString("bodyBase64"));
    assertThat(kept).hasSize(1000);
    IntStream.range(0, kept.length).forEach(i -> assertThat(kept[i]).isEqualTo((byte) (i % 251)));

    JsonObject whole = only(admin.post("{\"targets\":[\"big\"],\"groups\":[\"g1\"],\"path\":\"/bytes?n=100\","
        + "\"maxBodySize\":\"1k\"}"));
    assertThat(whole.getBoolean("truncated")).isFalse();
    assertThat(whole.getLong("bodyBytes")).isEqualTo(100L);
    String text = whole.getString("body");
    assertThat(text).hasSize(100);
    IntStream.range(0, 100).forEach(i -> assertThat((int) text.charAt(i)).isEqualTo(i));
  }

  @Test
  void aTargetWithoutAnAnswerWithinTheTimeoutGetsAnErrorLineAndItsRequestIsReset() {
    start(MockCloudOptions.defaults().withBootDelay(10, 30), "");
    assertThat(await(harness.get("/smart_proxy/slow/g1/")).status()).isEqualTo(200);
    harness.faults("{\"holdBoots\":true}");
    try (NdjsonStream stream = admin.post("{\"targets\":[\"slow\",\"held\"],\"groups\":[\"g1\"],"
        + "\"path\":\"/slow?ms=600000\",\"timeout\":\"300ms\"}")) {
      Set<String> targets = new HashSet<>();
      for (JsonObject line = stream.next(); line != null; line = stream.next()) {
        targets.add(line.getString("target"));
        assertThat(line.getValue("status")).as("%s", line).isNull();
        assertThat(line.getValue("headers")).isNull();
        assertThat(line.getValue("body")).isNull();
        assertThat(line.getLong("ms")).isGreaterThanOrEqualTo(300L);
        assertThat(line.getJsonObject("error").getString("type")).isEqualTo("timeout");
        assertThat(line.getJsonObject("error").getString("detail")).contains("300ms");
      }
      assertThat(targets).containsExactlyInAnyOrder("slow", "held");
    }
    // The gateway saw both requests go: the one held for its VM and the one forwarded to a VM.
    harness.awaitWaiting(0);
    harness.awaitInFlight(0);

    // An answer that started but did not finish in time: its status, headers and body so far, and the error. The
    // body takes 20 s; 2 s leaves a loaded machine time for the head (300 ms did not once in CI).
    JsonObject cut = only(admin.post("{\"targets\":[\"slow\"],\"groups\":[\"g1\"],"
        + "\"path\":\"/stream?chunks=1000&intervalMs=20\",\"timeout\":\"2s\"}"));
    assertThat(cut.getInteger("status")).isEqualTo(200);
    assertThat(cut.getJsonObject("headers").getString("content-type")).startsWith("text/plain");
    assertThat(cut.getString("body")).startsWith("chunk 0\nchunk 1\n");
    assertThat(cut.getLong("bodyBytes")).isEqualTo((long) cut.getString("body").length());
    assertThat(cut.getJsonObject("error").getString("type")).isEqualTo("timeout");
    harness.awaitInFlight(0);
  }

  @Test
  void anAdminClientThatGoesAwayStopsTheFanOutAndResetsItsRequests() {
    start(MockCloudOptions.defaults().withBootDelay(10, 30), "");
    harness.faults("{\"holdBoots\":true}");
    NdjsonStream stream = admin.post(new JsonObject().put("targets", new JsonArray(names("gone", 10)))
        .put("groups", new JsonArray().add("g1")).put("concurrency", 2).encode());
    assertThat(stream.status()).isEqualTo(200);
    eventually("two targets held, their VMs booting", () -> harness.gateway.lifecycle().waiting() == 2
        && admin.fanout.inFlight() == 2 && harness.stats().getInteger("started") == 2);

    stream.close();

    eventually("the fan-out let go of its requests", () -> admin.fanout.inFlight() == 0);
    harness.awaitWaiting(0);
    assertThat(harness.stats().getInteger("started")).as("no target started after the reader left").isEqualTo(2);
  }

  @Test
  void aReaderThatFallsBehindPausesTheFanOutUntilItReadsAgain() {
    start(MockCloudOptions.defaults().withBootDelay(10, 30), "");
    int n = 24;
    // Lines of about 1.4 MB (1 MiB of non-text body, base64): a few fill every buffer between us.
    try (NdjsonStream stream = NdjsonStream.post(admin.port(), FanoutAdmin.PATH, new JsonObject()
        .put("targets", new JsonArray(names("bulk", n))).put("groups", new JsonArray().add("g1"))
        .put("path", "/bytes?n=1048576").put("maxBodySize", "1m").put("concurrency", 4).encode(), 16 * 1024)) {
      assertThat(stream.status()).isEqualTo(200);
      // Every buffer fills after a few lines: the targets in flight then finish and no other starts.
      eventually("the fan-out stalls behind its unread lines", () -> admin.fanout.inFlight() == 0
          && harness.stats().getInteger("started") >= 4);
      int startedWhileStalled = harness.stats().getInteger("started");
      // The concurrency, plus the few lines the sockets hold: far from all (counting Vert.x's queued messages
      // instead of bytes, 16 lines of 1.4 MB would queue first, and some 22 targets start).
      assertThat(startedWhileStalled).as("targets started while nobody read").isLessThanOrEqualTo(n / 2);

      Set<String> targets = new HashSet<>();
      for (JsonObject line = stream.next(); line != null; line = stream.next()) {
        assertThat(line.getLong("bodyBytes")).isEqualTo(1L << 20);
        assertThat(line.getBoolean("truncated")).isFalse();
        targets.add(line.getString("target"));
      }
      assertThat(targets).hasSize(n);
    }
  }

  @Test
  void everyProblemOfAnInvalidRequestIsReportedAtOnce() {
    Vertx vertx = Vertx.vertx();
    closing.add(() -> await(vertx.close()));
    AdminConfig limits = new AdminConfig(true, "127.0.0.1", 0, null, null, null, 3, 4, 1000);
    admin = FanoutAdmin.start(vertx, limits, 1, () -> Future.succeededFuture(List.of("a-1", "a-2", "a-3", "a-4")));
    closing.add(admin);

    JsonObject problem = problem(400, "invalid-settings", "{\"targets\":[\"ok\",\"../etc\",\"ok\",7],\"pattern\":\"a-*\","
        + "\"groups\":[\"g1\",\"bad group\"],\"method\":\"GE T\",\"path\":\"no-slash\","
        + "\"headers\":{\"Host\":\"elsewhere\",\"Transfer-Encoding\":\"chunked\",\"X-Ok\":\"fine\",\"X-Bad\":\"a\\r\\nb\"},"
        + "\"body\":\"x\",\"bodyBase64\":\"eA==\",\"concurrency\":5,\"timeout\":\"soon\",\"maxBodySize\":1001,"
        + "\"concurency\":2}");
    assertThat(keys(problem)).containsExactlyInAnyOrder("concurency", "targets[1]", "targets[3]", "targets", "groups[1]",
        "method", "path", "headers.Host", "headers.Transfer-Encoding", "headers.X-Bad", "body", "concurrency", "timeout",
        "maxBodySize");
    assertThat(problem.getJsonArray("errors").stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("key").equals("targets[1]")).findFirst().orElseThrow().getString("reason"))
        .contains("\"../etc\"", "not a resource name");

    assertThat(keys(problem(400, "invalid-settings", "{\"targets\":[\"a\",\"b\",\"c\",\"d\",\"a\"],\"groups\":[\"g\"]}")))
        .containsExactly("targets");
    assertThat(keys(problem(400, "invalid-settings", "{\"pattern\":\"a-*\",\"groups\":[\"g\"]}")))
        .containsExactly("pattern");
    assertThat(keys(problem(400, "invalid-settings", "{\"path\":\"/\"}"))).containsExactlyInAnyOrder("targets", "groups");
    problem(400, "bad-request", "not json");
    problem(400, "bad-request", "[1,2]");
  }

  // ------------------------------------------------------------------ helpers

  private void start(MockCloudOptions mock, String resourcesYaml) {
    start(mock, resourcesYaml, List.of());
  }

  private void start(MockCloudOptions mock, String resourcesYaml, List<String> known) {
    harness = Harness.start(mock, "", "", resourcesYaml);
    closing.add(harness);
    admin = FanoutAdmin.start(harness.vertx, harness.port(), known);
    closing.add(admin);
  }

  private static List<String> names(String prefix, int n) {
    return new ArrayList<>(IntStream.rangeClosed(1, n).mapToObj(i -> prefix + "-" + i).toList());
  }

  /** The one line of a one-target fan-out. */
  private static JsonObject only(NdjsonStream stream) {
    try (stream) {
      assertThat(stream.status()).isEqualTo(200);
      JsonObject line = stream.next();
      assertThat(stream.next()).isNull();
      return line;
    }
  }

  /** A 200 from the VM's echo app, for this target, through the gateway, with the fan-out's groups and path. */
  private static void assertEcho(JsonObject line, String target) {
    assertThat(line.getInteger("status")).as("%s", line).isEqualTo(200);
    assertThat(line.getValue("error")).isNull();
    assertThat(line.getJsonObject("headers").getString("content-type")).isEqualTo("application/json");
    JsonObject echo = new JsonObject(line.getString("body"));
    assertThat(echo.getString("resource")).isEqualTo(target);
    assertThat(echo.getJsonArray("groups")).containsExactly("g1");
    assertThat(line.getLong("bodyBytes")).isEqualTo((long) line.getString("body").length());
  }

  /** The gateway's problem answer for this target, carried whole in the line. */
  private static void assertProblemLine(JsonObject line, int status, String slug, String target) {
    assertThat(line.getInteger("status")).as("%s", line).isEqualTo(status);
    assertThat(line.getValue("error")).isNull();
    assertThat(line.getJsonObject("headers").getString("content-type")).isEqualTo("application/problem+json");
    JsonObject problem = new JsonObject(line.getString("body"));
    assertThat(problem.getString("type")).isEqualTo("urn:smart-gateway:problem:" + slug);
    assertThat(problem.getString("resource")).isEqualTo(target);
  }

  private JsonObject problem(int status, String slug, String body) {
    try (NdjsonStream stream = admin.post(body)) {
      assertThat(stream.status()).isEqualTo(status);
      assertThat(stream.header("content-type")).isEqualTo("application/problem+json");
      JsonObject problem = new JsonObject(stream.body());
      assertThat(problem.getString("type")).isEqualTo("urn:smart-gateway:problem:" + slug);
      return problem;
    }
  }

  private static List<String> keys(JsonObject problem) {
    return problem.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("key")).toList();
  }
}
