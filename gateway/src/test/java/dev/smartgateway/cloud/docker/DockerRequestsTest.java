package dev.smartgateway.cloud.docker;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What the adapter sends the daemon, checked without one. */
class DockerRequestsTest {

  private static ContainerSpec spec(String json) {
    return DockerConfigParser.parse(new JsonObject("{\"resources\": {\"echo\": " + json + "}}"), Map.of())
        .resources().get("echo");
  }

  private static final ContainerSpec.Placement PLACEMENT =
      new ContainerSpec.Placement("sg-echo-0000abcd", "127.0.0.1", 41234, Set.of("g2", "g1"));

  @Test
  void aHostNetworkedContainerIsCreatedWithItsCommandVariablesLabelsAndLimits() {
    ContainerSpec spec = spec("""
        {"image": "smart-gateway/echo:1", "command": ["/bin/httpd", "-f", "-p", "{host}:{port}"],
         "env": {"GREETING": "hi"}, "labels": {"team": "qa"}, "stopTimeout": "1500ms",
         "memory": "64m", "cpus": 0.5, "init": true}""");

    JsonObject body = ApiRequests.createBody(spec, PLACEMENT, "gw-a");

    assertThat(body).isEqualTo(new JsonObject("""
        {"Image": "smart-gateway/echo:1",
         "Cmd": ["/bin/httpd", "-f", "-p", "127.0.0.1:41234"],
         "Env": ["GREETING=hi", "PORT=41234", "SMART_GATEWAY_RESOURCE=echo", "SMART_GATEWAY_GROUPS=g1,g2",
                 "SMART_GATEWAY_INSTANCE=sg-echo-0000abcd"],
         "Labels": {"team": "qa", "dev.smartgateway.managed-by": "smart-gateway", "dev.smartgateway.owner": "gw-a",
                    "dev.smartgateway.resource": "echo", "dev.smartgateway.groups": "g1,g2",
                    "dev.smartgateway.port": "41234"},
         "StopTimeout": 2,
         "HostConfig": {"NetworkMode": "host", "Init": true, "Memory": 67108864, "NanoCpus": 500000000}}"""));
  }

  @Test
  void withoutACommandTheImagesOwnRunsAndWithoutAnOwnerThereIsNoOwnerLabel() {
    JsonObject body = ApiRequests.createBody(spec("{\"image\": \"app:1\"}"), PLACEMENT, null);

    assertThat(body.containsKey("Cmd")).isFalse();
    assertThat(body.getJsonObject("Labels").containsKey("dev.smartgateway.owner")).isFalse();
    assertThat(body.getJsonObject("Labels").getString("dev.smartgateway.managed-by")).isEqualTo("smart-gateway");
    assertThat(body.getJsonObject("HostConfig")).isEqualTo(new JsonObject().put("NetworkMode", "host"));
  }

  @Test
  void onAnotherNetworkTheContainerPortIsPublishedOnTheAdaptersHostOnly() {
    JsonObject body = ApiRequests.createBody(spec("{\"image\": \"app:1\", \"network\": \"apps\", \"port\": 8080}"),
        PLACEMENT, "gw-a");

    assertThat(body.getJsonObject("ExposedPorts")).isEqualTo(new JsonObject("{\"8080/tcp\": {}}"));
    assertThat(body.getJsonObject("HostConfig")).isEqualTo(new JsonObject("""
        {"NetworkMode": "apps",
         "PortBindings": {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "41234"}]}}"""));
    assertThat(body.getJsonArray("Env")).contains("PORT=8080");
  }

  @Test
  void theListAndTheEventStreamAskForThisOwnersContainersOnly() {
    String list = ApiRequests.listPath("gw-a");
    assertThat(list).startsWith("/containers/json?all=true&filters=");
    assertThat(new JsonObject(decode(list.substring(list.indexOf("filters=") + 8)))).isEqualTo(new JsonObject("""
        {"label": ["dev.smartgateway.managed-by=smart-gateway", "dev.smartgateway.owner=gw-a"]}"""));

    String events = ApiRequests.eventsPath("gw-a", 0);
    assertThat(events).startsWith("/events?filters=").doesNotContain("since");
    assertThat(new JsonObject(decode(events.substring(events.indexOf("filters=") + 8)))).isEqualTo(new JsonObject("""
        {"label": ["dev.smartgateway.managed-by=smart-gateway", "dev.smartgateway.owner=gw-a"],
         "type": ["container"],
         "event": ["start", "die", "destroy", "oom", "health_status"]}"""));
  }

  @Test
  void aReconnectedEventStreamReplaysFromTheLastEventToTheNanosecond() {
    assertThat(ApiRequests.eventsPath("gw-a", 1_796_123_935_050_894_325L)).endsWith("&since=1796123935.050894325");
    assertThat(ApiRequests.eventsPath("gw-a", 1_796_123_935_000_000_007L)).endsWith("&since=1796123935.000000007");
  }

  @Test
  void aProviderWithoutAnOwnerListsEveryManagedContainer() {
    String list = ApiRequests.listPath(null);
    assertThat(new JsonObject(decode(list.substring(list.indexOf("filters=") + 8)))).isEqualTo(new JsonObject("""
        {"label": ["dev.smartgateway.managed-by=smart-gateway"]}"""));
  }

  @Test
  void stopTimeoutsAreWholeSecondsRoundedUpAndRemovalIsForced() {
    assertThat(ApiRequests.stopSeconds(spec("{\"image\": \"a\", \"stopTimeout\": \"1500ms\"}"))).isEqualTo(2);
    assertThat(ApiRequests.stopSeconds(spec("{\"image\": \"a\", \"stopTimeout\": \"3s\"}"))).isEqualTo(3);
    assertThat(ApiRequests.stopSeconds(null)).as("a resource no longer configured").isEqualTo(5);
    assertThat(ApiRequests.stopPath("sg-echo-1", 2)).isEqualTo("/containers/sg-echo-1/stop?t=2");
    assertThat(ApiRequests.removePath("sg-echo-1")).isEqualTo("/containers/sg-echo-1?force=true&v=true");
    assertThat(ApiRequests.createPath("sg-echo.v2-1")).isEqualTo("/containers/create?name=sg-echo.v2-1");
    assertThat(ApiRequests.logsPath("sg-echo-1", 20)).isEqualTo("/containers/sg-echo-1/logs?stdout=true&stderr=true&tail=20");
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
