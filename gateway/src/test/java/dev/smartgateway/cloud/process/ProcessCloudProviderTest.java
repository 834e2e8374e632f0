package dev.smartgateway.cloud.process;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static dev.smartgateway.cloud.process.ProcessTestSupport.await;
import static dev.smartgateway.cloud.process.ProcessTestSupport.providerConfig;
import static dev.smartgateway.cloud.process.ProcessTestSupport.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxExtension.class)
class ProcessCloudProviderTest {

  @TempDir
  Path stateDir;
  @TempDir
  Path www;

  private ProcessTestSupport support;

  @BeforeEach
  void setUp(Vertx vertx) throws IOException {
    support = new ProcessTestSupport(vertx);
    Files.writeString(www.resolve("index.html"), "<h1>served by a child</h1>");
  }

  @AfterEach
  void noProcessSurvives() {
    support.closeAndAssertNoSurvivors();
  }

  private JsonObject httpServer() {
    return resource("python3", "-m", "http.server", "{port}", "--bind", "127.0.0.1")
        .put("workingDir", www.toString());
  }

  private static JsonObject script(String source, String... extraArgs) {
    List<String> command = new ArrayList<>(List.of("python3", "-c", source, "{port}"));
    command.addAll(List.of(extraArgs));
    return resource(command.toArray(String[]::new));
  }

  @Test
  void startLaunchesTheCommandAndRunningArrivesThroughEventsOnceItServes() {
    var provider = support.create(providerConfig(stateDir, new JsonObject().put("files", httpServer())));

    Instance booting = provider.start("files", "g1");

    assertThat(booting.state()).isEqualTo(InstanceState.BOOTING);
    assertThat(booting.id()).isEqualTo("files-" + ProcessTestSupport.pid(booting));
    assertThat(booting.groups()).containsExactly("g1");
    assertThat(booting.endpoint()).as("no endpoint before RUNNING").isNull();
    assertThat(booting.metadata().get("address")).startsWith("http://127.0.0.1:");
    assertThat(stateDir.resolve("files." + booting.id() + ".json")).exists();

    Instance running = provider.awaitEvent(booting.id(), InstanceState.RUNNING);

    assertThat(running.endpoint()).isEqualTo(URI.create(booting.metadata().get("address")));
    var response = support.get(running.endpoint().resolve("/index.html"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("served by a child");
    assertThat(provider.describe(booting.id()).state()).isEqualTo(InstanceState.RUNNING);
    assertThat(provider.list()).extracting(Instance::id).containsExactly(booting.id());
  }

  @Test
  void thePidFileRecordsWhatAdoptionNeeds() throws IOException {
    var provider = support.create(providerConfig(stateDir, new JsonObject().put("files", httpServer())));

    Instance booting = provider.start("files", "g2", "g1");

    JsonObject pidFile = new JsonObject(Files.readString(stateDir.resolve("files." + booting.id() + ".json")));
    assertThat(pidFile.getLong("pid")).isEqualTo(ProcessTestSupport.pid(booting));
    assertThat(pidFile.getInteger("port")).isEqualTo(Integer.parseInt(booting.metadata().get("port")));
    assertThat(pidFile.getString("resource")).isEqualTo("files");
    assertThat(pidFile.getJsonArray("groups").stream().map(String::valueOf)).containsExactly("g1", "g2");
    assertThat(pidFile.getString("startedAt")).isNotBlank();
    assertThat(pidFile.getJsonArray("command").stream().map(String::valueOf))
        .containsExactly("python3", "-m", "http.server", booting.metadata().get("port"), "--bind", "127.0.0.1");
  }

  @Test
  void theChildLearnsItsGroupsResourceAndPortFromEnvironmentAndPlaceholders() {
    var provider = support.create(providerConfig(stateDir, new JsonObject().put("echo",
        script(Children.ECHO_ENV, "{groups}", "{resource}").put("env", new JsonObject().put("FOO", "bar")))));

    Instance booting = provider.start("echo", "g2", "g1");
    Instance running = provider.awaitEvent(booting.id(), InstanceState.RUNNING);

    String port = booting.metadata().get("port");
    assertThat(support.get(running.endpoint()).body())
        .isEqualTo("groups=g1,g2 resource=echo port=" + port + " foo=bar argv=" + port + " g1,g2 echo");
  }

  @Test
  void concurrentStartsOfDifferentResourcesEachGetTheirOwnProcessAndPort() {
    var provider = support.create(providerConfig(stateDir, new JsonObject()
        .put("a", httpServer()).put("b", httpServer()).put("c", script(Children.ECHO_ENV))));

    List<Future<Instance>> starts = Stream.of("a", "b", "c").map(r -> provider.spi.start(r, Set.of("g"))).toList();
    List<Instance> booting = starts.stream().map(ProcessTestSupport::await).map(support::remember).toList();
    List<Instance> running = booting.stream().map(i -> provider.awaitEvent(i.id(), InstanceState.RUNNING)).toList();

    assertThat(running).extracting(Instance::resource).containsExactly("a", "b", "c");
    assertThat(running).extracting(Instance::endpoint).doesNotHaveDuplicates();
    assertThat(running).extracting(i -> i.metadata().get("pid")).doesNotHaveDuplicates();
    running.forEach(i -> assertThat(support.get(i.endpoint()).statusCode()).isEqualTo(200));
  }

  @Test
  void anHttpReadinessCheckWaitsForItsPathToAnswer() {
    var provider = support.create(providerConfig(stateDir, new JsonObject()
        .put("files", httpServer().put("readiness", new JsonObject().put("path", "/index.html")))));

    Instance booting = provider.start("files", "g1");
    Instance running = provider.awaitEvent(booting.id(), InstanceState.RUNNING);

    assertThat(support.get(running.endpoint().resolve("/index.html")).statusCode()).isEqualTo(200);
  }

  @Test
  void aChildThatNeverBecomesReadyIsKilledAndFailsAfterTheReadinessTimeout() {
    // Long enough for python3 to start listening on a loaded 2-core machine, so the last attempt is its 404.
    var provider = support.create(providerConfig(stateDir, new JsonObject().put("files", httpServer()
        .put("readiness", new JsonObject().put("path", "/no-such-page").put("timeout", "5s")))));

    Instance booting = provider.start("files", "g1");
    ProcessHandle process = support.running(booting);
    Instance failed = provider.awaitEvent(booting.id(), InstanceState.FAILED);

    assertThat(failed.metadata().get("reason")).startsWith("not ready within 5s").contains("answered 404");
    assertThat(failed.endpoint()).isNull();
    assertThat(ProcessTestSupport.gone(process)).isTrue();
    assertThat(stateDir.resolve("files." + booting.id() + ".json")).doesNotExist();
  }

  @Test
  void aChildThatExitsBeforeItIsReadyFailsWithItsExitCode() {
    var provider = support.create(providerConfig(stateDir, new JsonObject()
        .put("broken", resource("python3", "-c", "import sys; sys.exit(3)"))));

    Instance booting = provider.start("broken", "g1");
    Instance failed = provider.awaitEvent(booting.id(), InstanceState.FAILED);

    assertThat(failed.metadata()).containsEntry("exitCode", "3").containsEntry("reason", "exited by itself with code 3");
    assertThat(provider.describe(booting.id()).state()).isEqualTo(InstanceState.FAILED);
    assertThat(stateDir.resolve("broken." + booting.id() + ".json")).doesNotExist();
  }

  @Test
  void aRunningChildThatExitsByItselfFailsWithItsExitCode() {
    var provider = support.create(providerConfig(stateDir, new JsonObject().put("app", script(Children.EXITS_ON_REQUEST))));
    Instance running = provider.awaitEvent(provider.start("app", "g1").id(), InstanceState.RUNNING);

    support.get(running.endpoint().resolve("/exit"));
    Instance failed = provider.awaitEvent(running.id(), InstanceState.FAILED);

    assertThat(failed.metadata()).containsEntry("exitCode", "7");
    assertThat(failed.endpoint()).isNull();
  }

  @Test
  void aCrashLoopLeavesNoProcessesAndNoFilesBehind() throws IOException {
    var provider = support.create(providerConfig(stateDir, new JsonObject()
        .put("broken", resource("python3", "-c", "import sys; print('boom'); sys.exit(3)")))
        .put("forgetAfter", "300ms"));

    List<ProcessHandle> processes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Instance booting = provider.start("broken", "g1");
      support.process(booting).ifPresent(processes::add); // absent: it had already exited
      assertThat(provider.awaitEvent(booting.id(), InstanceState.FAILED).metadata()).containsEntry("exitCode", "3");
    }

    assertThat(processes).allMatch(ProcessTestSupport::gone);
    try (Stream<Path> left = Files.list(stateDir)) {
      assertThat(left).as("pid and output files").isEmpty();
    }
    support.awaitCondition("failed instances are forgotten after forgetAfter",
        () -> provider.spi.list().map(List::isEmpty));
  }

  @Test
  void aChildThatLostTheRaceForItsPortIsRelaunchedOnAnotherPortUnderTheSameId() {
    Path marker = stateDir.resolve("marker");
    var provider = support.create(providerConfig(stateDir, new JsonObject().put("racy",
        script(Children.PORT_TAKEN_ONCE).put("env", new JsonObject().put("MARKER", marker.toString())))));

    Instance booting = provider.start("racy", "g1");
    Instance running = provider.awaitEvent(booting.id(), InstanceState.RUNNING);

    assertThat(marker).exists();
    assertThat(support.process(booting).map(ProcessTestSupport::gone)).as("first launch gone").isNotEqualTo(Optional.of(false));
    assertThat(running.metadata()).containsEntry("launches", "2");
    assertThat(running.metadata().get("port")).isNotEqualTo(booting.metadata().get("port"));
    assertThat(ProcessTestSupport.pid(support.remember(running))).isNotEqualTo(ProcessTestSupport.pid(booting));
    assertThat(support.get(running.endpoint()).statusCode()).isEqualTo(200);
  }

  @Test
  void theChildsOutputGoesToALoggerNamedAfterItsResource() {
    Logger logger = (Logger) LoggerFactory.getLogger("process.talker");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      var provider = support.create(providerConfig(stateDir, new JsonObject().put("talker", script(Children.TALKS))));
      Instance booting = provider.start("talker", "g1");

      support.awaitCondition("both lines logged", () -> {
        List<String> lines;
        synchronized (appender) {
          lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
        return Future.succeededFuture(lines.contains("[" + booting.id() + "] hello from the child")
            && lines.contains("[" + booting.id() + "] and a line on stderr"));
      });
    } finally {
      logger.detachAppender(appender);
    }
  }

  @Test
  void anUnknownResourceIsRefusedWithUnknownResource() {
    var provider = support.create(providerConfig(stateDir, new JsonObject().put("files", httpServer())));

    assertThatThrownBy(() -> provider.start("nope", "g1"))
        .isInstanceOfSatisfying(CloudException.class, e -> {
          assertThat(e.kind()).isEqualTo(CloudException.Kind.UNKNOWN_RESOURCE);
          assertThat(e).hasMessageContaining("nope").hasMessageContaining("files");
        });
  }

  @Test
  void aCommandThatCannotRunIsAPermanentFailure() {
    var provider = support.create(providerConfig(stateDir, new JsonObject()
        .put("ghost", resource("/no/such/program-xyz", "{port}"))));

    assertThatThrownBy(() -> provider.start("ghost", "g1"))
        .isInstanceOfSatisfying(CloudException.class, e -> {
          assertThat(e.kind()).isEqualTo(CloudException.Kind.PERMANENT);
          assertThat(e).hasMessageContaining("/no/such/program-xyz");
        });
    try (Stream<Path> left = Files.list(stateDir)) {
      assertThat(left).isEmpty();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void describeOfAnUnknownIdIsInstanceNotFound() {
    var provider = support.create(providerConfig(stateDir, new JsonObject().put("files", httpServer())));

    assertThatThrownBy(() -> provider.describe("files-1"))
        .isInstanceOfSatisfying(CloudException.class,
            e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.INSTANCE_NOT_FOUND));
  }

  @Test
  void answersArriveOnTheCallersContext(Vertx vertx) {
    var provider = support.create(providerConfig(stateDir, new JsonObject().put("files", httpServer())));
    var caller = vertx.getOrCreateContext();
    var sameContext = new java.util.concurrent.CompletableFuture<Boolean>();

    caller.runOnContext(v -> provider.spi.list().onComplete(ar -> sameContext.complete(Vertx.currentContext() == caller)));

    assertThat(await(Future.fromCompletionStage(sameContext))).isTrue();
  }
}
