package dev.smartgateway.cloud.process;

import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static dev.smartgateway.cloud.process.ProcessTestSupport.await;
import static dev.smartgateway.cloud.process.ProcessTestSupport.gone;
import static dev.smartgateway.cloud.process.ProcessTestSupport.providerConfig;
import static dev.smartgateway.cloud.process.ProcessTestSupport.resource;
import static org.assertj.core.api.Assertions.assertThat;

/** A restarted gateway neither orphans nor duplicates: children left running are adopted through pid files. */
@ExtendWith(VertxExtension.class)
class ProcessAdoptionTest {

  @TempDir
  Path stateDir;

  private ProcessTestSupport support;

  @BeforeEach
  void setUp(Vertx vertx) {
    support = new ProcessTestSupport(vertx);
  }

  @AfterEach
  void noProcessSurvives() {
    support.closeAndAssertNoSurvivors();
  }

  private JsonObject config(String onShutdown) {
    return providerConfig(stateDir, new JsonObject()
        .put("files", resource("python3", "-m", "http.server", "{port}", "--bind", "127.0.0.1")))
        .put("onShutdown", onShutdown);
  }

  /** Starts a child with a provider that leaves it running on close, and closes that provider. */
  private Instance leftRunningByAPreviousGateway() {
    var previous = support.create(config("leave"));
    Instance running = previous.awaitEvent(previous.start("files", "g1", "g2").id(), InstanceState.RUNNING);
    await(previous.spi.close());
    assertThat(gone(support.running(running))).as("left running").isFalse();
    assertThat(stateDir.resolve("files." + running.id() + ".json")).exists();
    return running;
  }

  @Test
  void aNewProviderAdoptsAChildLeftRunningAndCanStopIt() {
    Instance left = leftRunningByAPreviousGateway();
    ProcessHandle process = support.running(left);

    var provider = support.create(config("stop"));
    List<Instance> listed = provider.list();

    assertThat(listed).singleElement().satisfies(adopted -> {
      assertThat(adopted.id()).isEqualTo(left.id());
      assertThat(adopted.state()).isEqualTo(InstanceState.RUNNING);
      assertThat(adopted.endpoint()).isEqualTo(left.endpoint());
      assertThat(adopted.groups()).isEqualTo(Set.of("g1", "g2"));
      assertThat(adopted.metadata()).containsEntry("adopted", "true").containsEntry("pid", Long.toString(process.pid()));
    });
    assertThat(support.get(left.endpoint()).statusCode()).isEqualTo(200);

    provider.stop(left.id());

    assertThat(gone(process)).isTrue();
    assertThat(provider.describe(left.id()).state()).isEqualTo(InstanceState.STOPPED);
    assertThat(stateDir.resolve("files." + left.id() + ".json")).doesNotExist();
  }

  @Test
  void anAdoptedChildThatDiesIsReportedFailed() {
    Instance left = leftRunningByAPreviousGateway();
    var provider = support.create(config("stop"));
    assertThat(provider.list()).extracting(Instance::id).containsExactly(left.id());

    support.running(left).destroyForcibly();

    Instance failed = provider.awaitEvent(left.id(), InstanceState.FAILED);
    assertThat(failed.metadata().get("reason")).isEqualTo("exited by itself");
    assertThat(stateDir.resolve("files." + left.id() + ".json")).doesNotExist();
  }

  @Test
  void aChildThatDiedWhileNoGatewayRanIsForgottenAndItsFilesDeleted() throws Exception {
    Instance left = leftRunningByAPreviousGateway();
    ProcessHandle process = support.running(left);
    process.destroyForcibly();
    process.onExit().get();

    var provider = support.create(config("stop"));

    assertThat(provider.list()).isEmpty();
    assertThat(stateDir.resolve("files." + left.id() + ".json")).doesNotExist();
    assertThat(stateDir.resolve("files." + left.id() + ".log")).doesNotExist();
  }

  @Test
  void aLivePidRunningSomethingElseIsNeitherAdoptedNorTouched() throws IOException {
    ProcessHandle stranger = ProcessHandle.current(); // alive, but not a python3 http.server
    PidRecord record = new PidRecord("files-" + stranger.pid(), "files", stranger.pid(), 8000, Set.of("g1"),
        Instant.now(), List.of("python3", "-m", "http.server", "8000", "--bind", "127.0.0.1"), true);
    Files.writeString(stateDir.resolve("files.files-" + stranger.pid() + ".json"), record.toJson().encode());
    Files.writeString(stateDir.resolve("files.broken.json"), "{not json");

    var provider = support.create(config("stop"));

    assertThat(provider.list()).isEmpty();
    assertThat(stranger.isAlive()).isTrue();
    assertThat(stateDir.resolve("files.files-" + stranger.pid() + ".json")).doesNotExist();
    assertThat(stateDir.resolve("files.broken.json")).doesNotExist();
  }

  @Test
  void anAdoptedChildOfAResourceNoLongerConfiguredCanStillBeStopped() {
    Instance left = leftRunningByAPreviousGateway();
    ProcessHandle process = support.running(left);

    var provider = support.create(providerConfig(stateDir, new JsonObject()
        .put("other", resource("python3", "-m", "http.server", "{port}")))
        .put("onShutdown", "stop"));
    assertThat(provider.list()).extracting(Instance::id).containsExactly(left.id());

    provider.stop(left.id());

    assertThat(gone(process)).isTrue();
  }

  @Test
  void closingAProviderThatStopsOnShutdownStopsAdoptedChildrenToo() {
    Instance left = leftRunningByAPreviousGateway();
    ProcessHandle process = support.running(left);
    var provider = support.create(config("stop"));

    await(provider.spi.close());

    assertThat(gone(process)).isTrue();
    assertThat(stateDir.resolve("files." + left.id() + ".json")).doesNotExist();
  }
}
