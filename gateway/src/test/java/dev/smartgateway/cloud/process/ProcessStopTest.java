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
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static dev.smartgateway.cloud.process.ProcessTestSupport.await;
import static dev.smartgateway.cloud.process.ProcessTestSupport.gone;
import static dev.smartgateway.cloud.process.ProcessTestSupport.providerConfig;
import static dev.smartgateway.cloud.process.ProcessTestSupport.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@ExtendWith(VertxExtension.class)
class ProcessStopTest {

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

  private static JsonObject httpServer() {
    return resource("python3", "-m", "http.server", "{port}", "--bind", "127.0.0.1");
  }

  private ProcessTestSupport.Provider providerWith(String resource, JsonObject spec) {
    return support.create(providerConfig(stateDir, new JsonObject().put(resource, spec)));
  }

  private Instance running(ProcessTestSupport.Provider provider, String resource) {
    return provider.awaitEvent(provider.start(resource, "g1").id(), InstanceState.RUNNING);
  }

  @Test
  void stopEndsTheChildWithinStopTimeoutReportingStoppingThenStopped() {
    var provider = providerWith("files", httpServer().put("stopTimeout", "5s"));
    Instance running = running(provider, "files");
    ProcessHandle process = support.running(running);

    long began = System.nanoTime();
    provider.stop(running.id());
    Duration took = Duration.ofNanos(System.nanoTime() - began);

    assertThat(gone(process)).isTrue();
    assertThat(took).isLessThan(Duration.ofSeconds(5));
    List<InstanceState> states = provider.events().stream().filter(i -> i.id().equals(running.id()))
        .map(Instance::state).toList();
    assertThat(states).containsExactly(InstanceState.BOOTING, InstanceState.RUNNING, InstanceState.STOPPING,
        InstanceState.STOPPED);
    assertThat(provider.describe(running.id()).state()).isEqualTo(InstanceState.STOPPED);
    assertThat(provider.describe(running.id()).endpoint()).isNull();
    assertThat(stateDir.resolve("files." + running.id() + ".json")).doesNotExist();
    assertThat(stateDir.resolve("files." + running.id() + ".log")).doesNotExist();
  }

  @Test
  void stopIsIdempotentAndStoppingAnUnknownInstanceSucceeds() {
    var provider = providerWith("files", httpServer());
    Instance running = running(provider, "files");

    var first = provider.spi.stop(running.id());
    var second = provider.spi.stop(running.id());
    await(first);
    await(second);
    provider.stop(running.id());
    provider.stop("files-999999999");

    assertThat(provider.events().stream().filter(i -> i.state() == InstanceState.STOPPED)).hasSize(1);
  }

  @Test
  void aChildThatIgnoresSigtermIsKilledAfterStopTimeout() {
    var provider = providerWith("stubborn", resource("python3", "-c", Children.IGNORES_TERM, "{port}")
        .put("stopTimeout", "600ms"));
    Instance running = running(provider, "stubborn");
    ProcessHandle process = support.running(running);

    long began = System.nanoTime();
    provider.stop(running.id());
    Duration took = Duration.ofNanos(System.nanoTime() - began);

    assertThat(gone(process)).isTrue();
    assertThat(took).as("waited for stopTimeout before SIGKILL").isGreaterThanOrEqualTo(Duration.ofMillis(600));
    assertThat(took).isLessThan(Duration.ofSeconds(6));
    Instance stopped = provider.awaitEvent(running.id(), InstanceState.STOPPED);
    assertThat(stopped.metadata()).as("128 + SIGKILL").containsEntry("exitCode", "137");
  }

  @Test
  void stopSignalIntIsWhatTheChildReceives() {
    var provider = providerWith("files", httpServer().put("stopSignal", "INT"));
    Instance running = running(provider, "files");

    provider.stop(running.id());

    // http.server exits normally on SIGINT (KeyboardInterrupt); SIGTERM would have given 143
    assertThat(provider.awaitEvent(running.id(), InstanceState.STOPPED).metadata()).containsEntry("exitCode", "0");
  }

  @Test
  void stopSignalHupIsWhatTheChildReceives() {
    var provider = providerWith("files", httpServer().put("stopSignal", "HUP"));
    Instance running = running(provider, "files");

    provider.stop(running.id());

    assertThat(provider.awaitEvent(running.id(), InstanceState.STOPPED).metadata()).as("128 + SIGHUP")
        .containsEntry("exitCode", "129");
  }

  @Test
  void stopAlsoEndsWhatTheChildStarted() {
    var provider = providerWith("wrapped",
        resource("sh", "-c", "python3 -m http.server \"$PORT\" --bind 127.0.0.1; echo unreachable")
            .put("stopTimeout", "5s"));
    Instance running = running(provider, "wrapped");
    ProcessHandle shell = support.running(running);
    List<ProcessHandle> started = shell.descendants().toList();
    started.forEach(support::remember);
    assertThat(started).as("the shell's python").isNotEmpty();

    long began = System.nanoTime();
    provider.stop(running.id());
    Duration took = Duration.ofNanos(System.nanoTime() - began);

    assertThat(gone(shell)).isTrue();
    assertThat(started).allMatch(ProcessTestSupport::gone);
    assertThat(took).as("the python got the stop signal too, not just SIGKILL after stopTimeout")
        .isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void stopWhileBootingEndsTheChild() {
    var provider = providerWith("sleepy", resource("python3", "-c", "import time; time.sleep(60)", "{port}"));
    Instance booting = provider.start("sleepy", "g1");
    ProcessHandle process = support.running(booting);

    provider.stop(booting.id());

    assertThat(gone(process)).isTrue();
    assertThat(provider.describe(booting.id()).state()).isEqualTo(InstanceState.STOPPED);
    assertThat(provider.events()).noneMatch(i -> i.state() == InstanceState.RUNNING);
  }

  @Test
  void whatAChildLeavesBehindWhenItExitsByItselfIsStoppedToo() throws IOException {
    assumeTrue(ProcessLauncher.findSetsid() != null, "needs setsid for process groups");
    Path pidOfSleep = stateDir.resolve("sleep.pid");
    var provider = providerWith("leaky", resource("sh", "-c", "sleep 60 & echo $! > \"$PIDFILE\"; exit 5")
        .put("env", new JsonObject().put("PIDFILE", pidOfSleep.toString())));

    Instance booting = provider.start("leaky", "g1");
    Instance failed = provider.awaitEvent(booting.id(), InstanceState.FAILED);

    assertThat(failed.metadata()).containsEntry("exitCode", "5");
    long sleepPid = Long.parseLong(Files.readString(pidOfSleep).trim());
    ProcessHandle.of(sleepPid).ifPresent(support::remember);
    support.awaitCondition("the orphaned sleep is gone",
        () -> io.vertx.core.Future.succeededFuture(ProcessHandle.of(sleepPid).map(ProcessTestSupport::gone).orElse(true)));
  }

  @Test
  void closeWithOnShutdownStopStopsEveryChild() throws IOException {
    var provider = support.create(providerConfig(stateDir, new JsonObject().put("a", httpServer()).put("b", httpServer())));
    Instance a = running(provider, "a");
    Instance b = running(provider, "b");

    await(provider.spi.close());

    assertThat(support.running(a)).matches(ProcessTestSupport::gone);
    assertThat(support.running(b)).matches(ProcessTestSupport::gone);
    assertThat(provider.events()).filteredOn(i -> i.state() == InstanceState.STOPPED).hasSize(2);
    try (Stream<Path> left = Files.list(stateDir)) {
      assertThat(left).isEmpty();
    }
  }
}
