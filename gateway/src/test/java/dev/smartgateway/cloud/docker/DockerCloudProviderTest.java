package dev.smartgateway.cloud.docker;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.util.List;

import static dev.smartgateway.cloud.docker.DockerTestSupport.containerState;
import static dev.smartgateway.cloud.docker.DockerTestSupport.echo;
import static dev.smartgateway.cloud.docker.DockerTestSupport.eventually;
import static dev.smartgateway.cloud.docker.DockerTestSupport.providerConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The docker provider against the real daemon, through the SPI: containers are created, labelled, watched until
 * they serve, stopped and removed; failures are typed and leave nothing behind. Each test has owners of its own and
 * removes every container of theirs at the end, passed or failed.
 */
@ExtendWith(VertxExtension.class)
class DockerCloudProviderTest {

  private DockerTestSupport support;

  @BeforeEach
  void setUp(Vertx vertx) {
    DockerDaemon.require();
    support = new DockerTestSupport(vertx);
  }

  @AfterEach
  void nothingIsLeftBehind() {
    if (support != null) {
      support.closeAndRemoveContainers(true);
    }
  }

  private JsonObject config() {
    return providerConfig(new JsonObject()
        .put("echo", echo(new JsonObject().put("labels", new JsonObject().put("team", "qa"))))
        .put("crashing", echo(new JsonObject().put("command",
            new JsonArray(List.of("/bin/sh", "-c", "echo starting; echo cannot bind the port >&2; exit 3")))))
        .put("silent", echo(new JsonObject()
            .put("command", new JsonArray(List.of("/bin/sleep", "3600")))
            .put("readiness", new JsonObject().put("tcp", true).put("timeout", "1s"))))
        .put("missing", new JsonObject().put("image", "smart-gateway/no-such-image:0")));
  }

  @Test
  void aStartedContainerIsLabelledWithItsOwnerAndServesOnceRunning() {
    String owner = support.owner("start");
    DockerTestSupport.Provider provider = support.create(config(), owner);

    Instance booting = provider.start("echo", "g2", "g1");

    assertThat(booting.state()).isEqualTo(InstanceState.BOOTING);
    assertThat(booting.owner()).isEqualTo(owner);
    assertThat(booting.endpoint()).isNull();
    Instance running = provider.awaitEvent(booting.id(), InstanceState.RUNNING);
    assertThat(running.endpoint().getHost()).isEqualTo("127.0.0.1");

    HttpResponse<String> reply = support.get(running.endpoint().resolve("/hello/?x=1"));
    assertThat(reply.statusCode()).isEqualTo(200);
    JsonObject echo = new JsonObject(reply.body());
    assertThat(echo.getString("path")).isEqualTo("/hello/?x=1");
    assertThat(echo.getString("container")).isEqualTo(booting.id());
    assertThat(echo.getString("groups")).isEqualTo("g1,g2");
    String containerId = DockerDaemon.docker("inspect", "--format", "{{.Id}}", booting.id()).strip();
    assertThat(echo.getString("containerId")).isEqualTo(containerId);
    assertThat(running.metadata().get("containerId")).isEqualTo(containerId.substring(0, 12));

    JsonObject labels = new JsonObject(DockerDaemon.docker("inspect", "--format", "{{json .Config.Labels}}", booting.id()));
    assertThat(labels.getString("dev.smartgateway.managed-by")).isEqualTo("smart-gateway");
    assertThat(labels.getString("dev.smartgateway.owner")).isEqualTo(owner);
    assertThat(labels.getString("dev.smartgateway.resource")).isEqualTo("echo");
    assertThat(labels.getString("dev.smartgateway.groups")).isEqualTo("g1,g2");
    assertThat(labels.getString("dev.smartgateway.port")).isEqualTo(Integer.toString(running.endpoint().getPort()));
    assertThat(labels.getString("team")).isEqualTo("qa");
    assertThat(provider.describe(booting.id()).state()).isEqualTo(InstanceState.RUNNING);

    provider.stop(booting.id());
  }

  @Test
  void stopStopsAndRemovesTheContainerAndStoppingAgainOrAnUnknownIdSucceeds() {
    DockerTestSupport.Provider provider = support.create(config(), support.owner("stop"));
    Instance instance = provider.start("echo", "g1");
    provider.awaitEvent(instance.id(), InstanceState.RUNNING);

    provider.stop(instance.id());

    assertThat(containerState(instance.id())).isEqualTo("gone");
    provider.awaitEvent(instance.id(), InstanceState.STOPPING);
    provider.awaitEvent(instance.id(), InstanceState.STOPPED);
    assertThat(provider.describe(instance.id()).state()).as("remembered for forgetAfter").isEqualTo(InstanceState.STOPPED);
    provider.stop(instance.id());
    provider.stop("sg-echo-00000000");
  }

  @Test
  void aMissingImageIsAPermanentFailureNamingTheImageAndLeavesNoContainer() {
    String owner = support.owner("noimage");
    DockerTestSupport.Provider provider = support.create(config(), owner);

    assertThatThrownBy(() -> provider.start("missing", "g1"))
        .isInstanceOfSatisfying(CloudException.class, e -> {
          assertThat(e.kind()).isEqualTo(CloudException.Kind.PERMANENT);
          assertThat(e.getMessage()).contains("smart-gateway/no-such-image:0", "never pulls");
        });
    assertThat(DockerDaemon.containersOf(owner)).isEmpty();
  }

  @Test
  void anUnknownResourceIsRefusedAndAnUnknownContainerIsNotFound() {
    DockerTestSupport.Provider provider = support.create(config(), support.owner("unknown"));

    assertThatThrownBy(() -> provider.start("nope", "g1")).isInstanceOfSatisfying(CloudException.class,
        e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.UNKNOWN_RESOURCE));
    assertThatThrownBy(() -> provider.describe("sg-echo-00000000")).isInstanceOfSatisfying(CloudException.class,
        e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.INSTANCE_NOT_FOUND));
  }

  @Test
  void aContainerThatExitsWhileBootingFailsWithItsExitCodeAndLastWordsAndIsRemoved() {
    DockerTestSupport.Provider provider = support.create(config(), support.owner("crash"));

    Instance instance = provider.start("crashing", "g1");

    Instance failed = provider.awaitEvent(instance.id(), InstanceState.FAILED);
    assertThat(failed.metadata().get("exitCode")).isEqualTo("3");
    assertThat(failed.metadata().get("reason")).contains("code 3", "cannot bind the port");
    eventually(instance.id() + " removed", () -> containerState(instance.id()).equals("gone"));
  }

  @Test
  void aKilledContainerIsReportedFailedAndRemoved() {
    DockerTestSupport.Provider provider = support.create(config(), support.owner("kill"));
    Instance instance = provider.start("echo", "g1");
    provider.awaitEvent(instance.id(), InstanceState.RUNNING);

    DockerDaemon.docker("kill", instance.id());

    Instance failed = provider.awaitEvent(instance.id(), InstanceState.FAILED);
    assertThat(failed.metadata().get("reason")).contains("SIGKILL");
    eventually(instance.id() + " removed", () -> containerState(instance.id()).equals("gone"));
    provider.stop(instance.id());
  }

  @Test
  void aContainerThatNeverServesFailsAfterItsReadinessTimeoutAndIsRemoved() {
    DockerTestSupport.Provider provider = support.create(config(), support.owner("silent"));

    Instance instance = provider.start("silent", "g1");

    Instance failed = provider.awaitEvent(instance.id(), InstanceState.FAILED);
    assertThat(failed.metadata().get("reason")).contains("not ready within 1s");
    eventually(instance.id() + " removed", () -> containerState(instance.id()).equals("gone"));
  }

  @Test
  void anImageWithAHealthcheckStaysBootingUntilHealthyEvenThoughItAlreadyAnswers() {
    String image = "smart-gateway/echo-healthcheck:" + DockerDaemon.newOwner("hcimage");
    String owner = support.owner("health");
    String template = DockerDaemon.docker("create", DockerDaemon.echoImage()).strip();
    try {
      DockerDaemon.docker("commit", "--change", "HEALTHCHECK --interval=100ms --timeout=2s CMD test -f /tmp/healthy",
          template, image);
      DockerTestSupport.Provider provider = support.create(providerConfig(new JsonObject()
          .put("checked", echo(new JsonObject().put("image", image)))), owner);
      Instance instance = provider.start("checked", "g1");
      String port = DockerDaemon.docker("inspect", "--format", "{{index .Config.Labels \"dev.smartgateway.port\"}}",
          instance.id()).strip();
      eventually("the container answers", () -> {
        try {
          return support.get(java.net.URI.create("http://127.0.0.1:" + port + "/")).statusCode() == 200;
        } catch (AssertionError notYet) {
          return false;
        }
      });
      eventually("its health check ran and failed", () -> DockerDaemon.docker("inspect", "--format",
          "{{.State.Health.FailingStreak}}", instance.id()).strip().matches("[1-9][0-9]*"));

      assertThat(provider.describe(instance.id()).state()).as("answers, but not healthy").isEqualTo(InstanceState.BOOTING);
      assertThat(provider.events()).noneMatch(e -> e.state() == InstanceState.RUNNING);

      DockerDaemon.docker("exec", instance.id(), "touch", "/tmp/healthy");
      assertThat(provider.awaitEvent(instance.id(), InstanceState.RUNNING).endpoint()).isNotNull();
      provider.stop(instance.id());
    } finally {
      // The image goes too, passed or failed: its containers first, or the daemon keeps it for them.
      DockerDaemon.removeContainersOf(owner);
      DockerDaemon.docker("rm", "-f", template);
      DockerDaemon.docker("image", "rm", image);
    }
  }

  @Test
  void containersADeadGatewayLeftExitedOrNeverStartedAreReportedFailedAndRemovedWhenListed() {
    String owner = support.owner("leftover");
    String[] labels = {"--label", "dev.smartgateway.managed-by=smart-gateway", "--label", "dev.smartgateway.owner=" + owner,
        "--label", "dev.smartgateway.resource=echo", "--label", "dev.smartgateway.groups=g1",
        "--label", "dev.smartgateway.port=1"};
    String exited = "sg-echo-" + owner.substring(owner.length() - 8);
    String created = exited + "c";
    assertThat(DockerDaemon.dockerResult(concat(new String[] {"run", "--name", exited, "--network", "host"}, labels,
        new String[] {DockerDaemon.echoImage(), "/bin/sh", "-c", "exit 4"})).status()).as("docker run's exit").isEqualTo(4);
    DockerDaemon.docker(concat(new String[] {"create", "--name", created, "--network", "host"}, labels,
        new String[] {DockerDaemon.echoImage()}));
    DockerTestSupport.Provider provider = support.create(config(), owner);

    List<Instance> listed = provider.list();

    assertThat(listed).extracting(Instance::id).containsExactlyInAnyOrder(exited, created);
    assertThat(listed).allSatisfy(i -> assertThat(i.state()).isEqualTo(InstanceState.FAILED));
    assertThat(listed).filteredOn(i -> i.id().equals(exited)).singleElement()
        .satisfies(i -> assertThat(i.metadata().get("reason")).contains("exit code 4"));
    eventually("both removed", () -> DockerDaemon.containersOf(owner).isEmpty());
  }

  private static String[] concat(String[]... parts) {
    return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
  }

  @Test
  void closingAProviderThatStopsOnShutdownRemovesItsContainersAndOnlyThose() {
    DockerTestSupport.Provider other = support.create(config(), support.owner("bystander"));
    Instance bystander = other.start("echo", "g1");
    DockerTestSupport.Provider provider = support.create(config().put("onShutdown", "stop"), support.owner("shutdown"));
    Instance running = provider.start("echo", "g1");
    provider.awaitEvent(running.id(), InstanceState.RUNNING);
    Instance justStarted = provider.start("echo", "g2");

    DockerTestSupport.await(provider.spi.close());

    assertThat(containerState(running.id())).isEqualTo("gone");
    assertThat(containerState(justStarted.id())).isEqualTo("gone");
    assertThat(containerState(bystander.id())).isEqualTo("running");
    other.stop(bystander.id());
  }

  @Test
  void anotherProviderOfTheSameOwnerAdoptsTheRunningContainerAndOtherOwnersNeverSeeOrStopIt() {
    String owner = support.owner("adopt");
    DockerTestSupport.Provider first = support.create(config(), owner);
    Instance started = first.start("echo", "g1");
    Instance running = first.awaitEvent(started.id(), InstanceState.RUNNING);
    DockerTestSupport.await(first.spi.close());

    DockerTestSupport.Provider stranger = support.create(config(), support.owner("stranger"));
    assertThat(stranger.list()).extracting(Instance::id).doesNotContain(started.id());
    stranger.stop(started.id());
    assertThat(containerState(started.id())).as("another owner's stop leaves it alone").isEqualTo("running");

    DockerTestSupport.Provider second = support.create(config(), owner);
    List<Instance> listed = second.list();
    assertThat(listed).extracting(Instance::id).containsExactly(started.id());
    assertThat(listed.get(0).groups()).containsExactly("g1");
    assertThat(listed.get(0).owner()).isEqualTo(owner);
    Instance adopted = second.awaitEvent(started.id(), InstanceState.RUNNING);
    assertThat(adopted.endpoint()).isEqualTo(running.endpoint());
    assertThat(support.get(adopted.endpoint().resolve("/")).statusCode()).isEqualTo(200);

    second.stop(started.id());
    assertThat(containerState(started.id())).isEqualTo("gone");
  }
}
