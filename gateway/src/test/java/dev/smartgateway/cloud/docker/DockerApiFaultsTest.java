package dev.smartgateway.cloud.docker;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;

import static dev.smartgateway.cloud.docker.DockerTestSupport.await;
import static dev.smartgateway.cloud.docker.DockerTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How the adapter reads the daemon's failures, against a fake Engine API on loopback TCP: each error answer becomes
 * the {@link CloudException} kind the gateway acts on (retry, 502, 404...), with the daemon's own words kept.
 */
@ExtendWith(VertxExtension.class)
class DockerApiFaultsTest {

  private FakeDockerApi daemon;
  private DockerTestSupport support;

  @BeforeEach
  void start(Vertx vertx) {
    daemon = new FakeDockerApi(vertx);
    support = new DockerTestSupport(vertx);
  }

  @AfterEach
  void stop() {
    support.closeAndRemoveContainers(false);
    daemon.close();
  }

  private JsonObject config(String url) {
    return new JsonObject().put("type", "docker").put("url", url)
        .put("resources", new JsonObject().put("app", new JsonObject().put("image", "app:1")
            .put("readiness", new JsonObject().put("path", "/").put("timeout", "1m"))));
  }

  private DockerTestSupport.Provider provider() {
    return support.create(config(daemon.url()), "gw-a");
  }

  private static CloudException.Kind kind(Runnable call) {
    try {
      call.run();
    } catch (CloudException e) {
      return e.kind();
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  void aDaemonThatDoesNotAnswerIsATransientFailureNamingItsAddress() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    DockerTestSupport.Provider provider = support.create(config("tcp://127.0.0.1:" + closed), "gw-a");

    assertThatThrownBy(() -> provider.start("app", "g1")).isInstanceOfSatisfying(CloudException.class, e -> {
      assertThat(e.kind()).isEqualTo(CloudException.Kind.TRANSIENT);
      assertThat(e.getMessage()).contains("tcp://127.0.0.1:" + closed, "unreachable");
    });
    assertThat(kind(() -> provider.list())).isEqualTo(CloudException.Kind.TRANSIENT);
    assertThat(kind(() -> provider.stop("sg-app-00000001"))).isEqualTo(CloudException.Kind.TRANSIENT);
  }

  @Test
  void theNegotiatedVersionPrefixesEveryCall() {
    daemon.version("1.45", "1.24");
    provider().start("app", "g1");
    assertThat(daemon.calls()).filteredOn(c -> c.path().startsWith("/containers/create"))
        .extracting(FakeDockerApi.Call::uri).allMatch(uri -> uri.startsWith("/v1.45/"));
  }

  @Test
  void aDaemonNewerThanTheAdapterKnowsIsSpokenToInTheNewestVersionItKnows() {
    daemon.version("1.52", "1.24");
    provider().start("app", "g1");
    assertThat(daemon.calls()).filteredOn(c -> c.path().startsWith("/containers/create"))
        .extracting(FakeDockerApi.Call::uri).allMatch(uri -> uri.startsWith("/v" + ApiVersion.NEWEST + "/"));
  }

  @Test
  void aDaemonThatNoLongerAcceptsTheNewestVersionTheAdapterKnowsGetsItsOldestOne() {
    daemon.version("1.52", "1.50");
    provider().start("app", "g1");
    assertThat(daemon.calls()).filteredOn(c -> c.path().startsWith("/containers/create"))
        .extracting(FakeDockerApi.Call::uri).allMatch(uri -> uri.startsWith("/v1.50/"));
  }

  @Test
  void aDaemonOlderThanTheAdapterNeedsFailsTheGatewaysStart(Vertx vertx) {
    daemon.version("1.24", "1.12");

    assertThatThrownBy(() -> await(new DockerCloudProviderFactory().create(vertx, config(daemon.url()))))
        .isInstanceOfSatisfying(CloudException.class, e -> {
          assertThat(e.kind()).isEqualTo(CloudException.Kind.PERMANENT);
          assertThat(e.getMessage()).contains("API 1.24", "needs 1.25 or newer");
        });
  }

  @Test
  void aMissingImageIsPermanentNamesTheImageAndStartsNothing() {
    daemon.answerOnce("POST", "^/containers/create", 404, "{\"message\":\"No such image: app:1\"}");

    assertThatThrownBy(() -> provider().start("app", "g1")).isInstanceOfSatisfying(CloudException.class, e -> {
      assertThat(e.kind()).isEqualTo(CloudException.Kind.PERMANENT);
      assertThat(e.getMessage()).contains("image 'app:1'", "never pulls", "No such image: app:1");
    });
    assertThat(daemon.requests()).noneMatch(r -> r.endsWith("/start"));
  }

  @Test
  void aNetworkThatDoesNotExistIsPermanent() {
    daemon.answerOnce("POST", "^/containers/create", 404, "{\"message\":\"network apps not found\"}");

    assertThatThrownBy(() -> provider().start("app", "g1")).isInstanceOfSatisfying(CloudException.class, e -> {
      assertThat(e.kind()).isEqualTo(CloudException.Kind.PERMANENT);
      assertThat(e.getMessage()).contains("network apps not found");
    });
  }

  @Test
  void aTakenNameIsRetriedUnderAFreshName() {
    daemon.answerOnce("POST", "^/containers/create", 409,
        "{\"message\":\"Conflict. The container name \\\"/sg-app-1\\\" is already in use\"}");

    Instance instance = provider().start("app", "g1");

    List<String> creates = daemon.requests().stream().filter(r -> r.startsWith("POST /containers/create")).toList();
    assertThat(creates).hasSize(2);
    assertThat(creates.get(0)).isNotEqualTo(creates.get(1));
    assertThat(creates.get(1)).endsWith("name=" + instance.id());
    assertThat(instance.state()).isEqualTo(InstanceState.BOOTING);
  }

  @Test
  void aDaemonFailingToCreateIsTransient() {
    daemon.answerOnce("POST", "^/containers/create", 500, "{\"message\":\"devmapper: no space left\"}");

    assertThatThrownBy(() -> provider().start("app", "g1")).isInstanceOfSatisfying(CloudException.class, e -> {
      assertThat(e.kind()).isEqualTo(CloudException.Kind.TRANSIENT);
      assertThat(e.getMessage()).contains("500", "devmapper: no space left");
    });
  }

  @Test
  void aContainerTheRuntimeCannotRunIsPermanentAndRemovedAtOnce() {
    daemon.answerOnce("POST", "^/containers/[^/]+/start", 500, "{\"message\":\"OCI runtime create failed: "
        + "exec: \\\"/bin/serve\\\": stat /bin/serve: no such file or directory: unknown\"}");

    assertThatThrownBy(() -> provider().start("app", "g1")).isInstanceOfSatisfying(CloudException.class, e -> {
      assertThat(e.kind()).isEqualTo(CloudException.Kind.PERMANENT);
      assertThat(e.getMessage()).contains("/bin/serve");
    });
    String name = daemon.requests().stream().filter(r -> r.startsWith("POST /containers/create")).findFirst()
        .orElseThrow().replaceAll(".*name=", "");
    assertThat(daemon.requests()).contains("DELETE /containers/" + name + "?force=true&v=true");
  }

  @Test
  void stoppingAContainerThatIsAlreadyGoneOrGoingSucceeds() {
    DockerTestSupport.Provider provider = provider();
    Instance first = provider.start("app", "g1");
    Instance second = provider.start("app", "g1");
    daemon.answerOnce("POST", "^/containers/" + first.id() + "/stop", 404, "{\"message\":\"No such container\"}");
    daemon.answerOnce("DELETE", "^/containers/" + first.id(), 404, "{\"message\":\"No such container\"}");
    daemon.answerOnce("DELETE", "^/containers/" + second.id(), 409,
        "{\"message\":\"removal of container " + second.id() + " is already in progress\"}");

    provider.stop(first.id());
    provider.stop(second.id());

    provider.awaitEvent(first.id(), InstanceState.STOPPED);
    provider.awaitEvent(second.id(), InstanceState.STOPPED);
  }

  @Test
  void aDaemonFailingToStopIsTransientAndTheNextStopTriesAgain() {
    DockerTestSupport.Provider provider = provider();
    Instance instance = provider.start("app", "g1");
    daemon.answerOnce("POST", "^/containers/" + instance.id() + "/stop", 500, "{\"message\":\"tried to kill\"}");

    assertThat(kind(() -> provider.stop(instance.id()))).isEqualTo(CloudException.Kind.TRANSIENT);
    provider.stop(instance.id());

    assertThat(daemon.requests()).filteredOn(r -> r.startsWith("POST /containers/" + instance.id() + "/stop")).hasSize(2);
    provider.awaitEvent(instance.id(), InstanceState.STOPPED);
  }

  @Test
  void describeOfAContainerTheDaemonDoesNotKnowIsInstanceNotFoundAndADaemonErrorIsTransient() {
    DockerTestSupport.Provider provider = provider();
    assertThat(kind(() -> provider.describe("sg-app-00000001"))).isEqualTo(CloudException.Kind.INSTANCE_NOT_FOUND);
    daemon.answerOnce("GET", "^/containers/sg-app-00000002/json", 500, "{\"message\":\"boom\"}");
    assertThat(kind(() -> provider.describe("sg-app-00000002"))).isEqualTo(CloudException.Kind.TRANSIENT);
  }

  @Test
  void theEventStreamReconnectsAfterItDropsAndReplaysFromTheLastEventItSaw() {
    DockerTestSupport.Provider provider = provider();
    Instance instance = provider.start("app", "g1");
    eventually("the event stream is open", () -> daemon.eventStreamsOpened() == 1);
    daemon.pushEvent(event("start", instance.id(), null, 1_796_123_935_050_894_325L));

    daemon.endEventStreams();
    eventually("the event stream is open again", () -> daemon.eventStreamsOpened() == 2);
    daemon.pushEvent(event("die", instance.id(), "3", 1_796_123_936_000_000_000L));

    Instance failed = provider.awaitEvent(instance.id(), InstanceState.FAILED);
    assertThat(failed.metadata().get("reason")).isEqualTo("exited by itself with code 3: fake: failed");
    List<String> streams = daemon.requests().stream().filter(r -> r.startsWith("GET /events")).toList();
    assertThat(streams.get(0)).doesNotContain("since=");
    assertThat(streams.get(1)).endsWith("&since=1796123935.050894325");
    eventually(instance.id() + " removed", () -> daemon.requests().contains(
        "DELETE /containers/" + instance.id() + "?force=true&v=true"));
  }

  private static JsonObject event(String action, String name, String exitCode, long timeNano) {
    JsonObject attributes = new JsonObject().put("name", name).put("image", "app:1")
        .put(Labels.OWNER, "gw-a").put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    if (exitCode != null) {
      attributes.put("exitCode", exitCode);
    }
    return new JsonObject().put("Type", "container").put("Action", action).put("id", FakeDockerApi.idOf(name))
        .put("Actor", new JsonObject().put("ID", FakeDockerApi.idOf(name)).put("Attributes", attributes))
        .put("time", timeNano / 1_000_000_000L).put("timeNano", timeNano);
  }
}
