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

/**
 * Every child is recorded with its gateway's id; gateways sharing a {@code stateDir} (the default one is shared
 * by every gateway on the machine) never adopt, stop or delete each other's children.
 */
@ExtendWith(VertxExtension.class)
class ProcessOwnershipTest {

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

  private JsonObject pidFile(Instance instance) throws IOException {
    return new JsonObject(Files.readString(stateDir.resolve("files." + instance.id() + ".json")));
  }

  @Test
  void theOwnerIsInThePidFileAndInEveryReportOfTheInstance() throws IOException {
    var provider = support.create(config("stop"), "gw-a");

    Instance started = provider.start("files", "g1");
    Instance running = provider.awaitEvent(started.id(), InstanceState.RUNNING);

    assertThat(started.owner()).isEqualTo("gw-a");
    assertThat(running.owner()).isEqualTo("gw-a");
    assertThat(provider.describe(started.id()).owner()).isEqualTo("gw-a");
    assertThat(provider.list()).singleElement().extracting(Instance::owner).isEqualTo("gw-a");
    assertThat(pidFile(started).getString("owner")).isEqualTo("gw-a");
  }

  @Test
  void aProviderWithoutAnOwnerRecordsNone() throws IOException {
    var provider = support.create(config("stop"));

    Instance started = provider.start("files", "g1");

    assertThat(started.owner()).isNull();
    assertThat(started.metadata()).doesNotContainKey(Instance.OWNER);
    assertThat(pidFile(started).containsKey("owner")).isFalse();
  }

  @Test
  void anotherGatewayOnTheSameStateDirNeitherAdoptsNorStopsNorDeletesAChild() throws IOException {
    var first = support.create(config("leave"), "gw-a");
    Instance left = first.awaitEvent(first.start("files", "g1").id(), InstanceState.RUNNING);
    await(first.spi.close());
    ProcessHandle process = support.running(left);

    var other = support.create(config("stop"), "gw-b");
    assertThat(other.list()).as("another gateway's child is not listed").isEmpty();
    Instance own = other.awaitEvent(other.start("files", "g1").id(), InstanceState.RUNNING);
    await(other.spi.close());

    assertThat(gone(support.running(own))).as("its own child stopped on close").isTrue();
    assertThat(gone(process)).as("the first gateway's child still runs").isFalse();
    assertThat(support.get(left.endpoint()).statusCode()).isEqualTo(200);
    assertThat(pidFile(left).getString("owner")).isEqualTo("gw-a");

    var again = support.create(config("stop"), "gw-a");
    assertThat(again.list()).singleElement().satisfies(adopted -> {
      assertThat(adopted.id()).isEqualTo(left.id());
      assertThat(adopted.owner()).isEqualTo("gw-a");
      assertThat(adopted.metadata()).containsEntry("adopted", "true");
    });
    await(again.spi.close());
    assertThat(gone(process)).as("stopped by its own gateway").isTrue();
  }

  @Test
  void aChildRecordedWithoutAnOwnerIsLeftAloneByAGatewayWithOne() {
    var before = support.create(config("leave"));
    Instance unowned = before.awaitEvent(before.start("files", "g1").id(), InstanceState.RUNNING);
    await(before.spi.close());
    ProcessHandle process = support.running(unowned);

    var gateway = support.create(config("stop"), "gw-a");
    assertThat(gateway.list()).isEmpty();
    await(gateway.spi.close());

    assertThat(gone(process)).isFalse();
    assertThat(stateDir.resolve("files." + unowned.id() + ".json")).exists();

    // What the operator is told to do by hand, done by a provider without an owner (the old behaviour).
    var cleanup = support.create(config("stop"));
    assertThat(cleanup.list()).extracting(Instance::id).containsExactly(unowned.id());
    await(cleanup.spi.close());
    assertThat(gone(process)).isTrue();
  }

  @Test
  void aDeadChildOfAnotherGatewayKeepsItsFilesForThatGateway() throws IOException {
    long dead = deadPid();
    PidRecord record = new PidRecord("files-" + dead, "files", dead, 8000, Set.of("g1"), Instant.now(),
        List.of("python3", "-m", "http.server", "8000"), true, "gw-b");
    Files.writeString(stateDir.resolve("files.files-" + dead + ".json"), record.toJson().encode());

    var gateway = support.create(config("stop"), "gw-a");

    assertThat(gateway.list()).isEmpty();
    assertThat(stateDir.resolve("files.files-" + dead + ".json")).exists();
  }

  @Test
  void pidFilesKeepTheOwnerAndOldOnesReadAsNone() {
    PidRecord owned = new PidRecord("files-1", "files", 1, 8000, Set.of("g1"), Instant.parse("2026-01-01T00:00:00Z"),
        List.of("x"), true, "gw-a");
    JsonObject old = owned.toJson();
    old.remove("owner");

    assertThat(PidRecord.fromJson(owned.toJson())).isEqualTo(owned);
    assertThat(PidRecord.fromJson(old).owner()).isNull();
  }

  /** The pid of a process that has exited (a short-lived child, waited for). */
  private static long deadPid() {
    try {
      Process process = new ProcessBuilder("true").start();
      process.waitFor();
      return process.pid();
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
