package dev.smartgateway.it;

import dev.smartgateway.config.ConfigException;
import dev.smartgateway.config.ConfigLoader;
import dev.smartgateway.it.Harness.Reply;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admin API over real HTTP: a real gateway on a real mock cloud. */
class AdminApiTest {

  @TempDir
  Path dir;

  private static JsonObject task(Harness h, String id) {
    Reply reply = h.admin(HttpMethod.GET, "/admin/tasks/" + id, null);
    assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
    return reply.json();
  }

  private static List<String> steps(JsonObject task) {
    return task.getJsonArray("steps").stream().map(s -> ((JsonObject) s).getString("name")).toList();
  }

  @Test
  void withATokenFileTheAdminApiAnswersOnlyTheRightBearerToken() throws Exception {
    Path token = Files.writeString(dir.resolve("admin.token"), "s3cret-token\n");
    try (Harness h = Harness.start(5, 10, "admin: {port: 0, tokenFile: '" + token + "'}\n")) {
      Reply none = h.admin(HttpMethod.GET, "/admin/instances", null);
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.header("Content-Type")).isEqualTo("application/problem+json");
      assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
      assertThat(none.json().getString("type")).isEqualTo("urn:smart-gateway:problem:unauthorized");
      assertThat(h.admin(HttpMethod.GET, "/admin/instances", null, "s3cret-tokem").status()).isEqualTo(401);
      assertThat(h.admin(HttpMethod.GET, "/admin/instances", null, "s3cret-token-and-more").status()).isEqualTo(401);
      Reply right = h.admin(HttpMethod.GET, "/admin/instances", null, "s3cret-token");
      assertThat(right.status()).isEqualTo(200);
      assertThat(right.json().getJsonArray("instances")).isEmpty();
      assertThat(h.admin(HttpMethod.GET, "/admin/openapi.yaml", null).status())
          .as("the API's description is public").isEqualTo(200);
    }
  }

  @Test
  void withTlsTheAdminApiSpeaksHttpsOnly() {
    io.vertx.core.net.SelfSignedCertificate cert = io.vertx.core.net.SelfSignedCertificate.create("localhost");
    try (Harness h = Harness.start(5, 10, "admin: {port: 0, tls: {cert: '" + cert.certificatePath() + "', key: '"
        + cert.privateKeyPath() + "'}}\n")) {
      io.vertx.core.http.HttpClient https = h.vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
          .setSsl(true).setTrustAll(true).setVerifyHost(false));
      int status = Harness.await(https.request(HttpMethod.GET, h.adminPort(), "127.0.0.1", "/admin/instances")
          .compose(req -> req.send()).map(io.vertx.core.http.HttpClientResponse::statusCode));
      assertThat(status).isEqualTo(200);
      assertThatThrownBy(() -> h.admin(HttpMethod.GET, "/admin/instances", null))
          .as("plain HTTP gets no answer from a TLS listener");
    }
  }

  @Test
  void anAdminListenerBeyondLoopbackRefusesToStartWithoutAToken() {
    assertThatThrownBy(() -> Harness.start(5, 10, "admin: {host: 0.0.0.0, port: 0}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("admin.host")
        .hasMessageContaining("needs a token");
  }

  @Test
  void aMissingTokenVariableStopsTheGatewayWithItsName() {
    assertThatThrownBy(() -> Harness.start(5, 10, "admin: {port: 0, tokenEnv: SMART_GATEWAY_TEST_NO_SUCH_TOKEN}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SMART_GATEWAY_TEST_NO_SUCH_TOKEN");
  }

  @Test
  void aResourceRegisteredAtRunTimeIsServedColdWithItsOwnSettings() {
    try (Harness h = Harness.start(5, 20, "")) {
      Reply put = h.admin(HttpMethod.PUT, "/admin/resources/fresh",
          "{\"allowedGroups\": [\"team\"], \"idleTimeout\": \"7m\"}");
      assertThat(put.status()).as("%s", put.body()).isEqualTo(201);
      assertThat(put.header("Location")).isEqualTo("/admin/resources/fresh");
      assertThat(put.json().getString("source")).isEqualTo("admin");
      assertThat(put.json().getJsonObject("settings").getString("idleTimeout")).isEqualTo("7m");

      assertThat(Harness.await(h.get("/smart_proxy/fresh/team/hello")).status()).isEqualTo(200);
      assertThat(Harness.await(h.get("/smart_proxy/fresh/other/hello")).status())
          .as("its allowedGroups apply at once").isEqualTo(403);

      Reply again = h.admin(HttpMethod.PUT, "/admin/resources/fresh", "{\"allowedGroups\": [\"team\", \"other\"]}");
      assertThat(again.status()).as("a change, not a registration").isEqualTo(200);
      assertThat(Harness.await(h.get("/smart_proxy/fresh/other/hello")).status()).isEqualTo(200);

      Reply one = h.admin(HttpMethod.GET, "/admin/resources/fresh", null);
      assertThat(one.json().getJsonArray("instances")).hasSize(2);
      assertThat(one.json().getInteger("waiting")).isZero();
    }
  }

  @Test
  void badSettingsAreRefusedWithEveryProblemAndTheFilesMessages() {
    String json = "{\"idleTimeout\": \"soon\", \"maxWaiting\": 0, \"bogus\": 1, \"readiness\": {\"path\": \"no-slash\"}}";
    String yaml = "resources:\n  x: {idleTimeout: soon, maxWaiting: 0, bogus: 1, readiness: {path: no-slash}}\n";
    List<String> fromFile;
    try {
      ConfigLoader.parse(yaml, "file");
      throw new AssertionError("the YAML should be refused");
    } catch (ConfigException e) {
      fromFile = e.problems().stream().map(p -> p.key() + ": " + p.reason()).sorted().toList();
    }
    try (Harness h = Harness.start(5, 10, "")) {
      Reply reply = h.admin(HttpMethod.PUT, "/admin/resources/x", json);
      assertThat(reply.status()).isEqualTo(400);
      assertThat(reply.json().getString("type")).isEqualTo("urn:smart-gateway:problem:invalid-settings");
      List<String> fromApi = reply.json().getJsonArray("errors").stream()
          .map(o -> ((JsonObject) o).getString("key") + ": " + ((JsonObject) o).getString("reason")).sorted().toList();
      assertThat(fromApi).hasSize(4).isEqualTo(fromFile);
      assertThat(h.admin(HttpMethod.GET, "/admin/resources/x", null).status()).as("nothing registered").isEqualTo(404);
    }
  }

  @Test
  void aColdStartIsATaskThatSucceedsWithItsSteps() {
    try (Harness h = Harness.start(5, 20, "")) {
      assertThat(Harness.await(h.get("/smart_proxy/app/g/")).status()).isEqualTo(200);
      JsonArray tasks = h.admin(HttpMethod.GET, "/admin/tasks?resource=app", null).json().getJsonArray("tasks");
      assertThat(tasks).hasSize(1);
      JsonObject start = tasks.getJsonObject(0);
      assertThat(start.getString("kind")).isEqualTo("start");
      assertThat(start.getString("origin")).isEqualTo("auto");
      assertThat(start.getString("state")).isEqualTo("succeeded");
      assertThat(steps(start)).containsExactly("requested", "cloud call", "boot", "probe");
      assertThat(start.getString("instanceId")).isNotNull();
      assertThat(task(h, start.getString("id"))).isEqualTo(start);
    }
  }

  @Test
  void aStartThatFailsToBootIsAFailedTaskWithTheReason() {
    try (Harness h = Harness.start(5, 10, "")) {
      h.faults("{\"bootFailureRate\": 1.0}");
      assertThat(Harness.await(h.get("/smart_proxy/bad/g/")).status()).isEqualTo(502);
      eventually("the start task failed", () -> {
        JsonArray failed = h.admin(HttpMethod.GET, "/admin/tasks?state=failed", null).json().getJsonArray("tasks");
        return failed.size() == 1 && failed.getJsonObject(0).getString("error").contains("FAILED");
      });
      JsonObject counts = h.admin(HttpMethod.GET, "/admin/tasks/count?resource=bad", null).json();
      assertThat(counts.getJsonObject("counts").getLong("failed")).isEqualTo(1);
    }
  }

  @Test
  void cancellingARunningStartStopsTheVmAndAnswersTheHeldRequestWith503AndTheReason() {
    try (Harness h = Harness.start(5, 10, "")) {
      h.faults("{\"holdBoots\": true}");
      Reply started = h.admin(HttpMethod.POST, "/admin/resources/slow/start", "{\"groups\": [\"g\"]}");
      assertThat(started.status()).as("%s", started.body()).isEqualTo(202);
      String id = started.json().getString("id");
      assertThat(started.header("Location")).isEqualTo("/admin/tasks/" + id);
      assertThat(started.json().getString("origin")).isEqualTo("admin");
      assertThat(started.json().getString("state")).isEqualTo("running");
      var held = h.get("/smart_proxy/slow/g/");
      h.awaitWaiting(1);

      Reply cancelled = h.admin(HttpMethod.POST, "/admin/tasks/" + id + "/cancel", "");
      assertThat(cancelled.status()).as("%s", cancelled.body()).isEqualTo(200);
      assertThat(cancelled.json().getString("state")).isEqualTo("cancelled");
      assertThat(cancelled.json().getString("error")).contains("cancelled by hand");

      Reply answer = Harness.await(held);
      assertThat(answer.status()).isEqualTo(503);
      assertThat(answer.json().getString("type")).isEqualTo("urn:smart-gateway:problem:start-cancelled");
      assertThat(answer.json().getString("detail")).contains("cancelled by hand (task " + id + ")");
      eventually("the VM is stopped", () -> h.stats().getInteger("running") == 0
          && h.vms().stream().allMatch(vm -> !((JsonObject) vm).getString("state").equals("BOOTING")));
      assertThat(h.admin(HttpMethod.POST, "/admin/tasks/" + id + "/cancel", "").status())
          .as("a finished task cannot be cancelled").isEqualTo(409);
      JsonObject counts = h.admin(HttpMethod.GET, "/admin/tasks/count", null).json().getJsonObject("counts");
      assertThat(counts.getLong("cancelled")).isEqualTo(1);
      assertThat(counts.fieldNames()).containsExactlyInAnyOrder("pending", "running", "succeeded", "failed", "cancelled");
    }
  }

  @Test
  void stoppingByHandDrainsThenStopsAndIsATask() {
    try (Harness h = Harness.start(5, 10, "")) {
      assertThat(Harness.await(h.get("/smart_proxy/app/g/")).status()).isEqualTo(200);
      String vm = h.admin(HttpMethod.GET, "/admin/instances?state=READY", null).json().getJsonArray("instances")
          .getJsonObject(0).getString("instanceId");
      Reply stop = h.admin(HttpMethod.POST, "/admin/instances/" + vm + "/stop", "");
      assertThat(stop.status()).as("%s", stop.body()).isEqualTo(202);
      assertThat(stop.json().getString("kind")).isEqualTo("stop");
      assertThat(stop.json().getString("origin")).isEqualTo("admin");
      String id = stop.json().getString("id");
      eventually("the stop task succeeded", () -> task(h, id).getString("state").equals("succeeded"));
      assertThat(steps(task(h, id))).containsExactly("drain", "stop call", "stopped");
      assertThat(h.admin(HttpMethod.GET, "/admin/instances", null).json().getJsonArray("instances")).isEmpty();
      assertThat(h.admin(HttpMethod.POST, "/admin/instances/" + vm + "/stop", "").status()).isIn(404, 409);
    }
  }

  @Test
  void unregisteringAResourceDrainsItsVmsThenStopsThem() {
    try (Harness h = Harness.start(5, 10, "resources:\n  listed: {idleTimeout: 1h}\n")) {
      assertThat(Harness.await(h.get("/smart_proxy/listed/g/")).status()).isEqualTo(200);
      Reply deleted = h.admin(HttpMethod.DELETE, "/admin/resources/listed", null);
      assertThat(deleted.status()).as("%s", deleted.body()).isEqualTo(200);
      assertThat(deleted.json().getJsonArray("instances")).hasSize(1);
      eventually("its VM stopped", () -> h.stats().getInteger("running") == 0);
      assertThat(h.admin(HttpMethod.GET, "/admin/resources/listed", null).status()).isEqualTo(404);
      assertThat(h.admin(HttpMethod.DELETE, "/admin/resources/listed", null).status()).isEqualTo(404);
    }
  }

  @Test
  void historyAndUsageAreExactAfterAScriptedSequenceOfStartsAndStops() {
    try (Harness h = Harness.start(5, 10, "")) {
      for (String resource : List.of("a", "b")) {
        Reply started = h.admin(HttpMethod.POST, "/admin/resources/" + resource + "/start", "{\"groups\": [\"g\"]}");
        String id = started.json().getString("id");
        eventually(resource + " ready", () -> task(h, id).getString("state").equals("succeeded"));
        String ref = started.json().getString("ref");
        Reply stop = h.admin(HttpMethod.POST, "/admin/instances/" + ref + "/stop?force=true", "");
        String stopId = stop.json().getString("id");
        eventually(resource + " stopped", () -> task(h, stopId).getString("state").equals("succeeded"));
      }
      JsonArray events = h.admin(HttpMethod.GET, "/admin/events?type=STARTING,WARMING,READY,STOPPING,STOPPED", null)
          .json().getJsonArray("events");
      assertThat(events.stream().map(e -> ((JsonObject) e).getString("resource") + ":" + ((JsonObject) e).getString("type")))
          .containsExactly("a:STARTING", "a:WARMING", "a:READY", "a:STOPPING", "a:STOPPED",
              "b:STARTING", "b:WARMING", "b:READY", "b:STOPPING", "b:STOPPED");
      JsonArray aOnly = h.admin(HttpMethod.GET, "/admin/events?resource=a", null).json().getJsonArray("events");
      assertThat(aOnly.stream().map(e -> ((JsonObject) e).getString("resource")).collect(Collectors.toSet()))
          .containsExactly("a");
      assertThat(aOnly.stream().filter(e -> ((JsonObject) e).getString("category").equals("task")).count())
          .as("the task transitions are history too: start running, succeeded; stop running, succeeded").isEqualTo(4);

      long aStart = at(events, "a", "STARTING");
      long aEnd = at(events, "a", "STOPPED");
      long bStart = at(events, "b", "STARTING");
      long bEnd = at(events, "b", "STOPPED");
      JsonObject usage = h.admin(HttpMethod.GET, "/admin/usage?from=" + (aStart - 1000) + "&to=" + (bEnd + 1000), null)
          .json();
      assertThat(usage.getJsonArray("usage")).hasSize(2);
      assertThat(seconds(usage, "a")).isEqualTo((aEnd - aStart) / 1000.0);
      assertThat(seconds(usage, "b")).isEqualTo((bEnd - bStart) / 1000.0);
      JsonObject cut = h.admin(HttpMethod.GET, "/admin/usage?from=" + (aStart + 1) + "&to=" + bStart, null).json();
      assertThat(seconds(cut, "a")).as("only the overlap counts").isEqualTo((aEnd - aStart - 1) / 1000.0);
      assertThat(cut.getJsonArray("usage")).hasSize(1);
    }
  }

  private static long at(JsonArray events, String resource, String type) {
    return events.stream().map(e -> (JsonObject) e)
        .filter(e -> e.getString("resource").equals(resource) && e.getString("type").equals(type))
        .findFirst().orElseThrow().getLong("at");
  }

  private static double seconds(JsonObject usage, String resource) {
    return usage.getJsonArray("usage").stream().map(u -> (JsonObject) u)
        .filter(u -> u.getString("resource").equals(resource)).findFirst().orElseThrow().getDouble("instanceSeconds");
  }

  @Test
  void aRestartKeepsRegistrationsTasksAndHistory() {
    String yaml = "store: {type: embedded}\nstate: {dir: '" + dir.resolve("state") + "'}\n"
        + "resources:\n  filed: {idleTimeout: 1h}\n";
    try (Harness h = Harness.start(5, 10, yaml)) {
      assertThat(h.admin(HttpMethod.PUT, "/admin/resources/kept", "{\"idleTimeout\": \"9m\"}").status()).isEqualTo(201);
      assertThat(h.admin(HttpMethod.DELETE, "/admin/resources/filed", null).status()).isEqualTo(200);
      assertThat(Harness.await(h.get("/smart_proxy/kept/g/")).status()).isEqualTo(200);
      long before = h.admin(HttpMethod.GET, "/admin/events", null).json().getJsonArray("events").size();
      h.stopGateway();
      h.startGateway();

      Reply kept = h.admin(HttpMethod.GET, "/admin/resources/kept", null);
      assertThat(kept.status()).isEqualTo(200);
      assertThat(kept.json().getString("source")).isEqualTo("admin");
      assertThat(kept.json().getJsonObject("settings").getString("idleTimeout")).isEqualTo("9m");
      assertThat(h.admin(HttpMethod.GET, "/admin/resources/filed", null).status())
          .as("unregistered stays unregistered, though the file lists it").isEqualTo(404);
      JsonArray tasks = h.admin(HttpMethod.GET, "/admin/tasks?resource=kept&kind=start", null).json().getJsonArray("tasks");
      assertThat(tasks.stream().map(t -> ((JsonObject) t).getString("state")))
          .as("the first start, and the adoption of its VM after the restart").contains("succeeded");
      assertThat(h.admin(HttpMethod.GET, "/admin/events", null).json().getJsonArray("events").size())
          .isGreaterThanOrEqualTo((int) before);
      assertThat(Harness.await(h.get("/smart_proxy/kept/g/")).status()).as("the adopted VM serves").isEqualTo(200);
    }
  }

  @Test
  void aPageElsewhereCannotDriveATokenlessAdminApiThroughABrowser() {
    try (Harness h = Harness.start(5, 10, "")) {
      Reply forged = h.adminWith(HttpMethod.POST, "/admin/resources/app/start", "{\"groups\": [\"g\"]}",
          "Origin", "http://evil.example", "Content-Type", "text/plain");
      assertThat(forged.status()).isEqualTo(403);
      assertThat(forged.json().getString("type")).isEqualTo("urn:smart-gateway:problem:forbidden");
      Reply rebound = h.adminWith(HttpMethod.GET, "/admin/instances", null, "Host", "rebound.evil.example");
      assertThat(rebound.status()).isEqualTo(403);
      assertThat(h.stats().getInteger("started")).as("nothing was started").isZero();
      Reply console = h.adminWith(HttpMethod.POST, "/admin/resources/app/start", "{\"groups\": [\"g\"]}",
          "Origin", "http://127.0.0.1:" + h.adminPort(), "Host", "127.0.0.1:" + h.adminPort());
      assertThat(console.status()).as("the console's own calls pass").isEqualTo(202);
    }
  }

  @Test
  void unknownRoutesAndMethodsAreProblems() {
    try (Harness h = Harness.start(5, 10, "")) {
      Reply missing = h.admin(HttpMethod.GET, "/admin/nothing-here", null);
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.header("Content-Type")).isEqualTo("application/problem+json");
      Reply method = h.admin(HttpMethod.PATCH, "/admin/instances", null);
      assertThat(method.status()).isEqualTo(405);
      assertThat(method.json().getString("type")).isEqualTo("urn:smart-gateway:problem:method-not-allowed");
      Reply badQuery = h.admin(HttpMethod.GET, "/admin/tasks?state=done&since=yesterday", null);
      assertThat(badQuery.status()).isEqualTo(400);
      assertThat(badQuery.json().getString("detail")).contains("state").contains("since");
    }
  }
}
