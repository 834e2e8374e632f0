package dev.smartgateway.cloudmock;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.smartgateway.cloudmock.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Labels given at creation (a gateway's owner) stay with the VM everywhere it is shown, and select in lists. */
class LabelsTest extends MockCloudTestBase {

  private JsonObject start(String resource, JsonObject labels) {
    HttpResponse<Buffer> response = api.send(HttpMethod.POST, "/api/vms",
        new JsonObject().put("resource", resource).put("groups", new JsonArray().add("g1")).put("labels", labels).encode());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  private List<String> listIds(String query) {
    HttpResponse<Buffer> response = api.send(HttpMethod.GET, "/api/vms" + query, null);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonArray().stream().map(vm -> ((JsonObject) vm).getString("id")).toList();
  }

  @Test
  void labelsAreKeptInTheAnswerTheVmAndEveryEvent() {
    EventRecorder events = await(EventRecorder.connect(vertx, cloud.port()));
    JsonObject labels = new JsonObject().put("owner", "gw-a").put("team", "blue");

    JsonObject created = start("app", labels);
    String id = created.getString("id");
    events.awaitState(id, "RUNNING");
    api.stop(id);
    events.awaitState(id, "STOPPED");

    assertThat(created.getJsonObject("labels")).isEqualTo(labels);
    assertThat(api.vm(id).getJsonObject("labels")).isEqualTo(labels);
    assertThat(events.vmEvents()).filteredOn(vm -> vm.getString("id").equals(id))
        .extracting(vm -> vm.getJsonObject("labels"))
        .hasSize(4)
        .allSatisfy(l -> assertThat(l).isEqualTo(labels));
    events.close();
  }

  @Test
  void aVmStartedWithoutLabelsHasAnEmptyObject() {
    JsonObject created = api.start("app", "g1");

    assertThat(created.getJsonObject("labels")).isEqualTo(new JsonObject());
  }

  @Test
  void listSelectsByEveryLabelAsked() {
    String a = start("app", new JsonObject().put("owner", "gw-a")).getString("id");
    String b = start("app", new JsonObject().put("owner", "gw-b")).getString("id");
    String ab = start("other", new JsonObject().put("owner", "gw-a").put("team", "blue")).getString("id");
    String none = api.start("app", "g1").getString("id");

    assertThat(listIds("")).containsExactly(a, b, ab, none);
    assertThat(listIds("?label=owner=gw-a")).containsExactly(a, ab);
    assertThat(listIds("?label=owner=gw-b")).containsExactly(b);
    assertThat(listIds("?label=owner=gw-a&label=team=blue")).containsExactly(ab);
    assertThat(listIds("?label=owner=gw-a&resource=app")).containsExactly(a);
    assertThat(listIds("?label=owner=nobody")).isEmpty();
    assertThat(listIds("?label=owner=")).isEmpty();
  }

  @Test
  void badLabelsAndSelectorsAre400s() {
    for (String body : List.of(
        "{\"resource\":\"r\",\"labels\":[\"owner\"]}",
        "{\"resource\":\"r\",\"labels\":\"owner=a\"}",
        "{\"resource\":\"r\",\"labels\":{\"owner\":1}}",
        "{\"resource\":\"r\",\"labels\":{\"owner\":\"a b\"}}",
        "{\"resource\":\"r\",\"labels\":{\"-owner\":\"a\"}}",
        "{\"resource\":\"r\",\"labels\":{\"owner\":\"" + "a".repeat(64) + "\"}}")) {
      HttpResponse<Buffer> response = api.send(HttpMethod.POST, "/api/vms", body);
      assertThat(response.statusCode()).as(body + ": " + response.bodyAsString()).isEqualTo(400);
      assertThat(response.bodyAsJsonObject().getString("detail")).as(body).contains("label");
    }
    for (String query : List.of("?label=owner", "?label==a", "?label=owner=a&label=owner=b")) {
      assertThat(api.send(HttpMethod.GET, "/api/vms" + query, null).statusCode()).as(query).isEqualTo(400);
    }
    assertThat(api.stats().getInteger("started")).isZero();
  }
}
