package dev.smartgateway.it;

import dev.smartgateway.cloudmock.MockCloudOptions;
import dev.smartgateway.it.Harness.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code /admin/openapi.yaml} is kept true: the document is fetched from a running gateway (with an admin
 * token), every operation it lists is called until it has given its success status and every error status that
 * can be brought about honestly, and every answer is checked against the document by a real validator
 * ({@link OpenApiDocument}: status documented for the operation, Content-Type one of its media types, headers
 * and body valid against its schemas; NDJSON line by line, SSE event by event). Then both directions: every
 * operation answered with success at least once, every documented status seen but those listed in
 * {@link #NOT_PRODUCED} with the reason, and every route the admin listener serves is in the document.
 *
 * <p>The document is OpenAPI 3.1 (JSON Schema 2020-12): {@code type: [string, "null"]} is what vertx-json-schema
 * checks; OpenAPI 3.0's {@code nullable} it would ignore, and every null would then be refused.
 */
class AdminOpenApiTest {

  private static final String TOKEN = "openapi-contract-token";

  /**
   * Documented statuses this test does not bring about, each with why. The test fails if one of them is seen
   * (then it belongs out of this list) or if a documented status is neither seen nor listed here.
   */
  private static final Map<String, String> NOT_PRODUCED = notProduced();

  private static Map<String, String> notProduced() {
    String store = "503 store-unavailable: the store (in memory here, H2 or PostgreSQL in production) cannot be"
        + " made to fail from outside the gateway without a fault hook in production code";
    Map<String, String> reasons = new TreeMap<>();
    for (String op : List.of("putResource", "deleteResource", "listTasks", "countTasks", "getTask", "cancelTask",
        "listEvents", "getUsage")) {
      reasons.put(op + " 503", store);
    }
    reasons.put("getReady 503", "a failing store or a shutting-down gateway: produced and asserted in HealthTest");
    reasons.put("fanout 503", "shutting-down is answered only while the gateway closes (a race, not a state one can"
        + " hold), and the names a pattern is matched against come from memory, which does not fail");
    return reasons;
  }

  /** Resources the mock cloud knows; any other name is unknown to it (404 unknown-resource). */
  private static final Set<String> KNOWN = Set.of("app", "fresh", "broken", "slowboot", "limited", "guarded", "held",
      "web-1", "web-2");

  @TempDir
  Path dir;

  private Harness h;
  private OpenApiDocument doc;
  /** Every (operation, status) answered, with every answer checked. */
  private final Map<String, Set<Integer>> observed = new TreeMap<>();
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    if (h != null) {
      h.close();
    }
  }

  @Test
  void everyOperationAnswersAsTheDocumentSaysAndTheDocumentListsEveryRoute() throws Exception {
    Path token = Files.writeString(dir.resolve("admin.token"), TOKEN + "\n");
    h = Harness.start(MockCloudOptions.defaults().withBootDelay(5, 20).withResources(KNOWN), "", "",
        "admin: {port: 0, tokenFile: '" + token + "'}\n"
            + "resources:\n"
            + "  broken: {startBackoff: {initial: 1m, max: 1m}}\n"
            + "  slowboot: {startTimeout: 300ms, startBackoff: {initial: 1m, max: 1m}}\n"
            + "  limited: {maxInstances: 1}\n"
            + "  guarded: {allowedGroups: [team]}\n");

    Reply served = h.admin(HttpMethod.GET, "/admin/openapi.yaml", null);
    doc = OpenApiDocument.parse(h.vertx, served.body().toString(StandardCharsets.UTF_8));
    assertThat(doc.version()).startsWith("3.1");
    record("getOpenapi", served, 200);
    assertThat(served.body().toString(StandardCharsets.UTF_8)).as("the document is a YAML text").contains("paths:");

    unauthorized();
    SseStream live = SseStream.open(h.adminPort(), "/admin/events/stream", "Authorization", "Bearer " + TOKEN);
    closing.add(live);
    recordStream("streamEvents", live, 200);
    resources();
    String appTask = starts();
    streamed(live, 4);
    live.close();
    validatorIsNotVacuous(appTask);
    instances();
    tasks(appTask);
    events();
    usage();
    metrics();
    fanouts();
    eventStreams();
    expect("getHealth", 200, call(HttpMethod.GET, "/health", null));
    expect("getReady", 200, call(HttpMethod.GET, "/ready", null));
    console();

    coverage();
    routes();
    h.assertNoLeaks();
  }

  // ------------------------------------------------------------------ the scenario, operation by operation

  /** 401 from every operation that needs the token: none, and a wrong one. */
  private void unauthorized() {
    for (OpenApiDocument.Operation op : doc.operations()) {
      if (!op.secured()) {
        continue;
      }
      String path = op.path().replaceAll("\\{[^}]+}", "x");
      String body = op.method() == HttpMethod.GET || op.method() == HttpMethod.DELETE ? null : "{}";
      expect(op.id(), 401, h.admin(op.method(), path, body));
      expect(op.id(), 401, h.admin(op.method(), path, body, "not-" + TOKEN));
    }
  }

  private void resources() {
    expect("listResources", 200, call(HttpMethod.GET, "/admin/resources", null));
    String settings = "{\"idleTimeout\": \"7m\", \"allowedGroups\": [\"team\"], \"readiness\": {\"path\": \"/health\"}}";
    expectAccepted("putResource", 201, HttpMethod.PUT, "/admin/resources/fresh", settings);
    expectAccepted("putResource", 200, HttpMethod.PUT, "/admin/resources/fresh", "{\"maxWaiting\": 10}");
    Reply invalid = expect("putResource", 400, call(HttpMethod.PUT, "/admin/resources/fresh",
        "{\"idleTimeout\": \"soon\", \"bogus\": 1}"));
    assertThat(invalid.json().getJsonArray("errors")).hasSize(2);
    expect("putResource", 400, call(HttpMethod.PUT, "/admin/resources/-not-a-name", "{}"));
    expect("putResource", 413, call(HttpMethod.PUT, "/admin/resources/fresh", tooLarge()));
    Reply fresh = expect("getResource", 200, call(HttpMethod.GET, "/admin/resources/fresh", null));
    assertThat(fresh.json().getString("source")).isEqualTo("admin");
    expect("getResource", 404, call(HttpMethod.GET, "/admin/resources/nothing-here", null));
    expect("deleteResource", 200, call(HttpMethod.DELETE, "/admin/resources/fresh", null));
    expect("deleteResource", 404, call(HttpMethod.DELETE, "/admin/resources/fresh", null));
  }

  /** Pre-warms, and every refusal of one; returns the id of app's start task. */
  private String starts() {
    Reply app = expectAccepted("startResource", 202, HttpMethod.POST, "/admin/resources/app/start", "{\"groups\": [\"g\"]}");
    String appTask = app.json().getString("id");
    assertThat(app.header("Location")).isEqualTo("/admin/tasks/" + appTask);
    eventually("app's start succeeded", () -> task(appTask).getString("state").equals("succeeded"));
    expect("listResources", 200, call(HttpMethod.GET, "/admin/resources", null));
    expect("startResource", 202, call(HttpMethod.POST, "/admin/resources/app/start", "{\"groups\": [\"g\"]}"));

    expect("startResource", 400, call(HttpMethod.POST, "/admin/resources/app/start", "{}"));
    expect("startResource", 400, call(HttpMethod.POST, "/admin/resources/app/start", "{\"groups\": [\"no/slash\"]}"));
    expect("startResource", 413, call(HttpMethod.POST, "/admin/resources/app/start", tooLarge()));
    expect("startResource", 403, call(HttpMethod.POST, "/admin/resources/guarded/start", "{\"groups\": [\"other\"]}"));

    // The cloud does not know it: a request learns so (404), and a pre-warm is then refused without a cloud call.
    assertThat(await(h.get("/smart_proxy/ghost/g/")).status()).isEqualTo(404);
    expect("startResource", 404, call(HttpMethod.POST, "/admin/resources/ghost/start", "{\"groups\": [\"g\"]}"));

    // A start that failed to boot: during its backoff a pre-warm is refused with that failure.
    h.faults("{\"bootFailureRate\": 1.0}");
    assertThat(await(h.get("/smart_proxy/broken/g/")).status()).isEqualTo(502);
    h.faults("{\"bootFailureRate\": 0.0}");
    expect("startResource", 502, call(HttpMethod.POST, "/admin/resources/broken/start", "{\"groups\": [\"g\"]}"));
    Reply broken = expect("getResource", 200, call(HttpMethod.GET, "/admin/resources/broken", null));
    assertThat(broken.json().getJsonObject("lastFailure")).as("its last failure is shown").isNotNull();

    // A start that timed out: the same, with 504.
    h.faults("{\"holdBoots\": true}");
    assertThat(await(h.get("/smart_proxy/slowboot/g/")).status()).isEqualTo(504);
    // The held request's deadline and the VM's boot timer are both startTimeout: wait for the VM's to fail it too,
    // before the boot is let go (else the VM may come up in between and no backoff follows).
    eventually("slowboot's start failed", () -> call(HttpMethod.GET, "/admin/tasks?resource=slowboot&state=failed", null)
        .json().getJsonArray("tasks").size() == 1);
    h.faults("{\"holdBoots\": false}");
    expect("startResource", 504, call(HttpMethod.POST, "/admin/resources/slowboot/start", "{\"groups\": [\"g\"]}"));

    // One VM at most: a second group set is refused.
    Reply limited = expect("startResource", 202, call(HttpMethod.POST, "/admin/resources/limited/start",
        "{\"groups\": [\"g1\"]}"));
    String limitedTask = limited.json().getString("id");
    eventually("limited's start succeeded", () -> task(limitedTask).getString("state").equals("succeeded"));
    Reply full = expect("startResource", 503, call(HttpMethod.POST, "/admin/resources/limited/start",
        "{\"groups\": [\"g2\"]}"));
    assertThat(full.json().getString("type")).endsWith(":instance-limit");
    return appTask;
  }

  private void instances() {
    expect("listInstances", 200, call(HttpMethod.GET, "/admin/instances", null));
    Reply ready = expect("listInstances", 200, call(HttpMethod.GET, "/admin/instances?resource=app&state=READY", null));
    JsonObject app = ready.json().getJsonArray("instances").getJsonObject(0);
    expect("listInstances", 400, call(HttpMethod.GET, "/admin/instances?state=ASLEEP", null));

    expect("stopInstance", 400, call(HttpMethod.POST, "/admin/instances/" + app.getString("ref") + "/stop?force=maybe", ""));
    expect("stopInstance", 404, call(HttpMethod.POST, "/admin/instances/no-such-vm/stop", ""));
    Reply drain = expect("stopInstance", 202, call(HttpMethod.POST, "/admin/instances/" + app.getString("ref") + "/stop", ""));
    String stopTask = drain.json().getString("id");
    eventually("app's stop succeeded", () -> task(stopTask).getString("state").equals("succeeded"));

    // The cloud takes a while to answer a stop call here: a second stop of the same VM meanwhile is a conflict.
    h.faults("{\"stopLatencyMs\": 2000}");
    JsonObject limited = expect("listInstances", 200, call(HttpMethod.GET, "/admin/instances?resource=limited", null))
        .json().getJsonArray("instances").getJsonObject(0);
    String vm = limited.getString("instanceId");
    expect("stopInstance", 202, call(HttpMethod.POST, "/admin/instances/" + vm + "/stop?force=true", ""));
    Reply again = expect("stopInstance", 409, call(HttpMethod.POST, "/admin/instances/" + vm + "/stop", ""));
    assertThat(again.json().getString("type")).endsWith(":conflict");
    h.faults("{\"stopLatencyMs\": 0}");
  }

  private void tasks(String appTask) {
    expect("listTasks", 200, call(HttpMethod.GET, "/admin/tasks", null));
    expect("listTasks", 200, call(HttpMethod.GET, "/admin/tasks?state=failed&kind=start&resource=broken&limit=5", null));
    expect("listTasks", 400, call(HttpMethod.GET, "/admin/tasks?state=done&since=yesterday", null));
    expect("countTasks", 200, call(HttpMethod.GET, "/admin/tasks/count", null));
    expect("countTasks", 200, call(HttpMethod.GET, "/admin/tasks/count?state=succeeded", null));
    expect("countTasks", 400, call(HttpMethod.GET, "/admin/tasks/count?kind=restart", null));
    expect("getTask", 404, call(HttpMethod.GET, "/admin/tasks/no-such-task", null));

    // A start held booting: a fan-out to it times out (a line with an error and no answer), then it is cancelled.
    h.faults("{\"holdBoots\": true}");
    Reply held = expect("startResource", 202, call(HttpMethod.POST, "/admin/resources/held/start", "{\"groups\": [\"g\"]}"));
    String heldTask = held.json().getString("id");
    List<JsonObject> lines = fanout(200, "{\"targets\": [\"held\"], \"groups\": [\"g\"], \"timeout\": \"200ms\"}");
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).getJsonObject("error").getString("type")).isEqualTo("timeout");
    assertThat(lines.get(0).getValue("status")).isNull();
    Reply cancelled = expect("cancelTask", 200, call(HttpMethod.POST, "/admin/tasks/" + heldTask + "/cancel", ""));
    assertThat(cancelled.json().getString("state")).isEqualTo("cancelled");
    h.faults("{\"holdBoots\": false}");
    expect("cancelTask", 409, call(HttpMethod.POST, "/admin/tasks/" + heldTask + "/cancel", ""));
    expect("cancelTask", 409, call(HttpMethod.POST, "/admin/tasks/" + appTask.replace(".start", ".stop") + "/cancel", ""));
    expect("cancelTask", 404, call(HttpMethod.POST, "/admin/tasks/no-such-task/cancel", ""));
  }

  private void events() {
    expect("listEvents", 200, call(HttpMethod.GET, "/admin/events", null));
    Reply page = expect("listEvents", 200, call(HttpMethod.GET, "/admin/events?resource=app&type=READY,succeeded&limit=1",
        null));
    assertThat(page.json().getString("next")).as("a full page says where the next one starts").startsWith("afterId=");
    expect("listEvents", 200, call(HttpMethod.GET, "/admin/events?since=2020-01-01T00:00:00Z&" + page.json().getString("next"),
        null));
    expect("listEvents", 400, call(HttpMethod.GET, "/admin/events?since=yesterday&limit=0", null));
  }

  private void usage() {
    Reply usage = expect("getUsage", 200, call(HttpMethod.GET, "/admin/usage", null));
    assertThat(usage.json().getJsonArray("usage")).isNotEmpty();
    expect("getUsage", 200, call(HttpMethod.GET, "/admin/usage?from=0&to=2030-01-01T00:00:00Z", null));
    expect("getUsage", 400, call(HttpMethod.GET, "/admin/usage?from=10&to=5", null));
  }

  private void metrics() {
    Reply scraped = expect("getMetrics", 200, call(HttpMethod.GET, "/metrics", null));
    assertThat(scraped.body().toString(StandardCharsets.UTF_8)).as("Prometheus text with the gateway's series")
        .contains("# TYPE smart_gateway_cold_start_seconds histogram", "smart_gateway_requests_total{");
  }

  private void fanouts() {
    // Every kind of line: an answer in text, one in bytes and cut short, gateway errors (unknown, backing off).
    List<JsonObject> lines = fanout(200, "{\"targets\": [\"app\", \"ghost\", \"broken\"], \"groups\": [\"g\"],"
        + " \"method\": \"POST\", \"path\": \"/echo?x=1\", \"headers\": {\"X-One\": \"1\", \"X-Two\": [\"a\", \"b\"]},"
        + " \"body\": \"hello\", \"concurrency\": 2, \"timeout\": \"20s\"}");
    assertThat(lines.stream().map(l -> l.getString("target") + " " + l.getInteger("status")))
        .containsExactlyInAnyOrder("app 200", "ghost 404", "broken 502");
    List<JsonObject> bytes = fanout(200, "{\"targets\": [\"app\"], \"groups\": [\"g\"], \"path\": \"/bytes?n=300\","
        + " \"maxBodySize\": \"200b\"}");
    assertThat(bytes.get(0).getString("bodyBase64")).isNotNull();
    assertThat(bytes.get(0).getBoolean("truncated")).isTrue();
    List<JsonObject> pattern = fanout(200, "{\"pattern\": \"lim*\", \"groups\": [\"g1\"], \"bodyBase64\": \"aGk=\","
        + " \"method\": \"PUT\", \"maxBodySize\": 0}");
    assertThat(pattern).extracting(l -> l.getString("target")).containsExactly("limited");
    assertThat(fanout(200, "{\"pattern\": \"nothing-*\", \"groups\": [\"g\"]}")).as("nothing matched: no line").isEmpty();

    Reply invalid = expect("fanout", 400, call(HttpMethod.POST, "/admin/fanout",
        "{\"targets\": [\"app\"], \"pattern\": \"x\", \"groups\": [], \"concurency\": 2}"));
    assertThat(invalid.json().getString("type")).endsWith(":invalid-settings");
    Reply notJson = expect("fanout", 400, call(HttpMethod.POST, "/admin/fanout", "[\"app\"]"));
    assertThat(notJson.json().getString("type")).endsWith(":bad-request");
    expect("fanout", 413, call(HttpMethod.POST, "/admin/fanout", tooLarge()));
  }

  private void eventStreams() {
    try (SseStream bad = SseStream.open(h.adminPort(), "/admin/events/stream", "Authorization", "Bearer " + TOKEN,
        "Last-Event-ID", "yesterday")) {
      recordStream("streamEvents", bad, 400);
    }
    // Replayed from the live feed's memory: what happened since the first event.
    try (SseStream replay = SseStream.open(h.adminPort(), "/admin/events/stream?resource=app", "Authorization",
        "Bearer " + TOKEN, "Last-Event-ID", "0")) {
      recordStream("streamEvents", replay, 200);
      streamed(replay, 3);
    }
    // Streams are bounded: past the limit the next one is refused (503 gateway-busy) until one closes.
    List<SseStream> open = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        SseStream stream = SseStream.open(h.adminPort(), "/admin/events/stream", "Authorization", "Bearer " + TOKEN);
        open.add(stream);
        if (stream.status() != 200) {
          recordStream("streamEvents", stream, 503);
          return;
        }
      }
      throw new AssertionError("100 event streams open at once, none refused");
    } finally {
      open.forEach(SseStream::close);
    }
  }

  /** The console's files: no token needed (though the API it calls needs one), then 304 to their own ETag. */
  private void console() {
    for (String[] file : new String[][] {{"getConsole", "/console"}, {"getConsoleScript", "/console/console.js"},
        {"getConsoleStyles", "/console/console.css"}}) {
      Reply served = expect(file[0], 200, h.adminGet(file[1]));
      expect(file[0], 304, h.adminGet(file[1], "If-None-Match", served.header("ETag")));
    }
    expect("getConsole", 308, h.adminGet("/console/"));
    // The page's headers are checked, though its body is not the validator's to read.
    Reply page = h.adminGet("/console");
    MultiMap noPolicy = MultiMap.caseInsensitiveMultiMap().addAll(page.headers()).remove("Content-Security-Policy");
    assertThatThrownBy(() -> doc.check("getConsole", 200, noPolicy, page.body()))
        .as("a page without its Content-Security-Policy is refused").isInstanceOf(AssertionError.class);
    MultiMap cached = MultiMap.caseInsensitiveMultiMap().addAll(page.headers()).set("Cache-Control", "max-age=3600");
    assertThatThrownBy(() -> doc.check("getConsole", 200, cached, page.body()))
        .as("a page cached without revalidation is refused").isInstanceOf(AssertionError.class);
  }

  // ------------------------------------------------------------------ both directions

  private void coverage() {
    Set<String> documented = new TreeSet<>();
    for (OpenApiDocument.Operation op : doc.operations()) {
      Set<Integer> seen = observed.getOrDefault(op.id(), Set.of());
      assertThat(seen.stream().anyMatch(s -> s >= 200 && s < 300))
          .as("%s (%s) answered with success at least once; seen %s", op.id(), op.route(), seen).isTrue();
      op.responses().keySet().forEach(status -> documented.add(op.id() + " " + status));
    }
    Set<String> seen = new TreeSet<>();
    observed.forEach((op, statuses) -> statuses.forEach(s -> seen.add(op + " " + s)));
    StringBuilder table = new StringBuilder("statuses answered, per operation (of those documented):");
    doc.operations().forEach(op -> table.append("\n  ").append(op.id()).append(' ')
        .append(observed.getOrDefault(op.id(), Set.of())).append(" of ").append(op.responses().keySet()));
    System.out.println(table);
    Set<String> missing = new TreeSet<>(documented);
    missing.removeAll(seen);
    assertThat(missing).as("documented statuses not produced (each must be produced, or listed with its reason)")
        .isEqualTo(NOT_PRODUCED.keySet());
    assertThat(seen).as("every status seen is documented").isSubsetOf(documented);
  }

  private void routes() {
    Set<String> served = h.gateway.adminRoutes().stream()
        .map(route -> route.replaceAll(":([A-Za-z0-9_]+)", "{$1}"))
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> documented = doc.operations().stream().map(OpenApiDocument.Operation::route)
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(served).as("the admin listener's routes are exactly the document's operations").isEqualTo(documented);
  }

  // ------------------------------------------------------------------ the validator really checks

  /**
   * Answers that break the document are refused: a guard against a validator that accepts anything (a schema
   * that failed to resolve, a keyword it skips). Each is a real answer with one thing changed.
   */
  private void validatorIsNotVacuous(String appTask) {
    JsonObject task = task(appTask);
    refused("getTask", 200, task.copy().put("extra", 1), "a key the document does not list (unevaluatedProperties)");
    refused("getTask", 200, task.copy().put("state", "done"), "a state outside the enum");
    refused("getTask", 200, task.copy().put("ref", null), "null where the document allows none");
    JsonObject noSteps = task.copy();
    noSteps.remove("steps");
    refused("getTask", 200, noSteps, "a required key missing");
    JsonObject resource = call(HttpMethod.GET, "/admin/resources/app", null).json();
    refused("getResource", 200, resource.copy().put("settings", resource.getJsonObject("settings").copy()
        .put("idleTimeout", "soon")), "a pattern not matched, through $ref and allOf");
    refused("getResource", 200, resource.copy().put("lastFailure", new JsonObject().put("at", 1)),
        "a nullable object that is neither null nor whole");
    JsonObject problem = call(HttpMethod.GET, "/admin/tasks/no-such-task", null).json();
    refused("getTask", 404, problem.copy().put("type", "about:blank"), "a problem type outside the urn");
    assertThat(doc.validate("Event", new JsonObject().put("id", 1)).getValid()).isFalse();
    assertThat(doc.validate("FanoutLine", new JsonObject().put("target", "app")).getValid()).isFalse();
  }

  private void refused(String operationId, int status, JsonObject body, String why) {
    String contentType = status < 400 ? "application/json" : "application/problem+json";
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", contentType);
    try {
      doc.check(operationId, status, headers, body.toBuffer());
    } catch (AssertionError expected) {
      return;
    }
    throw new AssertionError("the validator accepted " + why + ": " + body.encode());
  }

  // ------------------------------------------------------------------ calls, checks, records

  private Reply call(HttpMethod method, String path, String body) {
    return h.admin(method, path, body, TOKEN);
  }

  /** The answer must have this status; it is checked against the document and recorded. */
  private Reply expect(String operationId, int status, Reply reply) {
    if (reply.status() != status) {
      throw new AssertionError(operationId + ": expected " + status + ", got " + reply.status() + " " + reply.body());
    }
    record(operationId, reply, status);
    return reply;
  }

  /** A call that succeeds: its request body must be one the document accepts too. */
  private Reply expectAccepted(String operationId, int status, HttpMethod method, String path, String body) {
    Reply reply = expect(operationId, status, call(method, path, body));
    OutputUnit request = doc.validateRequest(operationId, new JsonObject(body));
    assertThat(request.getValid()).as("%s accepted %s, so the document must accept it: %s", operationId, body,
        request.toJson()).isTrue();
    return reply;
  }

  private void record(String operationId, Reply reply, int status) {
    assertThat(reply.status()).isEqualTo(status);
    String type = doc.check(operationId, reply.status(), reply.headers(), reply.body());
    // Media types the validator does not read (see OpenApiDocument): their bodies are checked here.
    if (type != null && type.startsWith("text/html")) {
      assertThat(reply.body().toString(StandardCharsets.UTF_8)).as("an HTML page").startsWith("<!doctype html>");
    } else if ("application/yaml".equals(type) || type != null && type.startsWith("text/")) {
      assertThat(reply.body().length()).isPositive();
    }
    observed.computeIfAbsent(operationId, k -> new TreeSet<>()).add(reply.status());
  }

  /** A fan-out that must answer {@code status}; with 200, each NDJSON line is checked against FanoutLine. */
  private List<JsonObject> fanout(int status, String request) {
    Reply reply = status == 200 ? expectAccepted("fanout", 200, HttpMethod.POST, "/admin/fanout", request)
        : expect("fanout", status, call(HttpMethod.POST, "/admin/fanout", request));
    List<JsonObject> lines = new ArrayList<>();
    String text = reply.body().toString(StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      JsonObject json = new JsonObject(line);
      OutputUnit valid = doc.validate("FanoutLine", json);
      assertThat(valid.getValid()).as("fan-out line %s: %s", line, valid.toJson()).isTrue();
      lines.add(json);
    }
    assertThat(text.isEmpty() || text.endsWith("\n")).as("every line ends with a newline").isTrue();
    assertThat(reply.header("X-Fanout-Targets")).isEqualTo(Integer.toString(lines.size()));
    return lines;
  }

  /** An event stream's answer: its head (and, if it is not a stream, its whole body) checked and recorded. */
  private void recordStream(String operationId, SseStream stream, int status) {
    assertThat(stream.status()).as("%s answered %s", operationId, stream.headers()).isEqualTo(status);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    stream.headers().forEach(headers::add);
    Buffer body = status == 200 ? Buffer.buffer() : Buffer.buffer(stream.body());
    doc.check(operationId, status, headers, body);
    observed.computeIfAbsent(operationId, k -> new TreeSet<>()).add(status);
  }

  /** Reads {@code n} events of a stream and checks each {@code data:} against Event. */
  private void streamed(SseStream stream, int n) {
    for (int i = 0; i < n; i++) {
      SseStream.Event event = stream.next();
      assertThat(event).as("event %d of %d", i + 1, n).isNotNull();
      assertThat(event.get("id")).as("every event has its number").matches("[0-9]+");
      JsonObject data = new JsonObject(event.get("data"));
      OutputUnit valid = doc.validate("Event", data);
      assertThat(valid.getValid()).as("event %s: %s", data, valid.toJson()).isTrue();
      assertThat(event.get("event")).isEqualTo(data.getString("category"));
    }
  }

  private JsonObject task(String id) {
    return expect("getTask", 200, call(HttpMethod.GET, "/admin/tasks/" + id, null)).json();
  }

  /** A JSON body just over the admin listener's 1 MiB limit. */
  private static String tooLarge() {
    return "{\"pad\": \"" + "x".repeat(1 << 20) + "\"}";
  }
}
