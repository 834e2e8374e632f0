package dev.smartgateway.it;

import dev.smartgateway.cloud.docker.DockerDaemon;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway in front of real containers started on demand ({@code provider.type: docker}) from the example image
 * (examples/docker): busybox httpd whose CGI answers with the path it received and the container it runs in, so
 * every test can check by container that one starts per pool, stops when idle, is replaced when killed and is
 * adopted after a restart. Each test has a gateway id of its own (parallel runs on one daemon never meet), and every
 * container of that id is removed afterwards, whatever the outcome.
 */
class DockerGatewayTest {

  private static final Logger LOG = LoggerFactory.getLogger(DockerGatewayTest.class);

  private String owner;
  private Harness harness;

  @BeforeEach
  void requireDocker() {
    DockerDaemon.require();
    owner = DockerDaemon.newOwner("gw");
  }

  @AfterEach
  void removeTheContainers() {
    try {
      if (harness != null) {
        harness.close();
      }
    } finally {
      if (owner != null && DockerDaemon.missing() == null) {
        DockerDaemon.removeContainersOf(owner);
      }
    }
  }

  private Harness gateway(String idleTimeout) {
    return gateway(idleTimeout, "stop");
  }

  private Harness gateway(String idleTimeout, String idlePolicy) {
    return Harness.gatewayOnly("""
        server: {host: 127.0.0.1, port: 0}
        gateway: {id: %s}
        provider:
          type: docker
          socket: %s
          resources:
            echo:
              image: %s
              command: [/bin/httpd, -f, -v, -p, '{host}:{port}', -h, /www]
              init: true
              readiness: {path: /, timeout: 20s}
              stopTimeout: 2s
        defaults: {startTimeout: 30s, idleTimeout: %s, idlePolicy: %s}
        """.formatted(owner, DockerDaemon.SOCKET, DockerDaemon.echoImage(), idleTimeout, idlePolicy));
  }

  @Test
  void aColdRequestIsAnsweredByAFreshContainer() {
    harness = gateway("10m");

    Harness.Reply reply = await(harness.get("/smart_proxy/echo/g2,g1/hello/?x=1"));

    assertThat(reply.status()).isEqualTo(200);
    JsonObject echo = reply.json();
    assertThat(echo.getString("path")).isEqualTo("/hello/?x=1");
    assertThat(echo.getString("groups")).isEqualTo("g1,g2");
    assertThat(echo.getString("resource")).isEqualTo("echo");
    assertThat(DockerDaemon.containersOf(owner)).containsExactly(echo.getString("container"));
    assertThat(echo.getString("containerId"))
        .isEqualTo(DockerDaemon.docker("inspect", "--format", "{{.Id}}", echo.getString("container")).strip());
    String waited = reply.header("X-Smart-Gateway-Wait-Ms");
    assertThat(waited).isNotNull();
    LOG.info("cold start through the gateway: {} ms held", waited);
  }

  @Test
  void aBurstOf50ConcurrentRequestsStartsExactlyOneContainer() {
    harness = gateway("10m");

    List<Future<Harness.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      replies.add(harness.get("/smart_proxy/echo/g1/burst/" + i + "/"));
    }
    await(Future.all(replies));

    Set<String> servedBy = new HashSet<>();
    for (int i = 0; i < replies.size(); i++) {
      Harness.Reply reply = replies.get(i).result();
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().getString("path")).isEqualTo("/burst/" + i + "/");
      servedBy.add(reply.json().getString("container"));
    }
    assertThat(servedBy).hasSize(1);
    assertThat(DockerDaemon.containersOf(owner)).containsExactlyElementsOf(servedBy);
  }

  @Test
  void anIdleContainerIsStoppedAndRemovedAndTheNextRequestStartsAFreshOne() {
    harness = gateway("1s");
    String first = await(harness.get("/smart_proxy/echo/g1/")).json().getString("container");

    eventually("the idle container is removed", () -> !DockerDaemon.containersOf(owner).contains(first));
    Harness.Reply next = await(harness.get("/smart_proxy/echo/g1/again/"));

    assertThat(next.status()).isEqualTo(200);
    assertThat(next.json().getString("container")).isNotEqualTo(first);
  }

  @Test
  void aKilledContainerIsReplacedOnTheNextRequest() {
    harness = gateway("10m");
    String killed = await(harness.get("/smart_proxy/echo/g1/")).json().getString("container");

    DockerDaemon.docker("kill", killed);
    eventually("the gateway noticed", () -> await(harness.gateway.lifecycle().instances()).isEmpty());
    Harness.Reply next = await(harness.get("/smart_proxy/echo/g1/after/"));

    assertThat(next.status()).isEqualTo(200);
    String fresh = next.json().getString("container");
    assertThat(fresh).isNotEqualTo(killed);
    eventually("the killed container is removed", () -> DockerDaemon.containersOf(owner).equals(List.of(fresh)));
  }

  @Test
  void aRestartedGatewayAdoptsTheRunningContainerInsteadOfStartingAnother() {
    harness = gateway("10m");
    String before = await(harness.get("/smart_proxy/echo/g1/")).json().getString("container");

    harness.stopGateway();
    assertThat(DockerDaemon.containersOf(owner)).as("left running by the closed gateway").containsExactly(before);
    harness.startGateway();
    Harness.Reply after = await(harness.get("/smart_proxy/echo/g1/again/"));

    assertThat(after.status()).isEqualTo(200);
    assertThat(after.json().getString("container")).isEqualTo(before);
    assertThat(DockerDaemon.containersOf(owner)).containsExactly(before);
  }

  @Test
  void withIdlePolicySuspendAnIdleContainerIsPausedAndTheNextRequestUnpausesIt() {
    harness = gateway("1s", "suspend");
    String first = await(harness.get("/smart_proxy/echo/g1/")).json().getString("container");

    eventually("the idle container is paused", () -> "paused".equals(status(first)));
    Harness.Reply next = await(harness.get("/smart_proxy/echo/g1/resumed/"));

    assertThat(next.status()).isEqualTo(200);
    assertThat(next.json().getString("path")).isEqualTo("/resumed/");
    assertThat(next.json().getString("container")).as("the same container, unpaused").isEqualTo(first);
    assertThat(DockerDaemon.containersOf(owner)).containsExactly(first);
  }

  @Test
  void aRestartedGatewayAdoptsAPausedContainerAndUnpausesItForTheNextRequest() {
    harness = gateway("1s", "suspend");
    String paused = await(harness.get("/smart_proxy/echo/g1/")).json().getString("container");
    eventually("the idle container is paused", () -> "paused".equals(status(paused)));

    harness.stopGateway();
    harness.startGateway();
    Harness.Reply after = await(harness.get("/smart_proxy/echo/g1/again/"));

    assertThat(after.status()).isEqualTo(200);
    assertThat(after.json().getString("container")).isEqualTo(paused);
    assertThat(DockerDaemon.containersOf(owner)).containsExactly(paused);
  }

  @Test
  void aPausedContainerStoppedByHandIsRemoved() {
    harness = gateway("1s", "suspend");
    String paused = await(harness.get("/smart_proxy/echo/g1/")).json().getString("container");
    eventually("the idle container is paused", () -> "paused".equals(status(paused)));

    await(harness.gateway.lifecycle().instances()).forEach(view ->
        await(harness.gateway.lifecycle().stopByHand(view.ref(), true)));

    eventually("the paused container is removed", () -> DockerDaemon.containersOf(owner).isEmpty());
  }

  private static String status(String container) {
    return DockerDaemon.docker("inspect", "--format", "{{.State.Status}}", container).strip();
  }
}
