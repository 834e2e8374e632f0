package dev.smartgateway.cloud.qemu;

import dev.smartgateway.cloud.CloudException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The QMP client against {@link FakeQmp}: handshake, answers matched by id, events, errors, and the end. */
@ExtendWith(VertxExtension.class)
class QmpClientTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @TempDir
  Path dir;
  private Vertx vertx;
  private NetClient unix;
  private FakeQmp qemu;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    unix = vertx.createNetClient();
    qemu = await(FakeQmp.start(vertx, dir.resolve("vm.qmp")));
  }

  @AfterEach
  void stop() {
    qemu.close();
  }

  @Test
  void theClientLeavesNegotiationModeWithQmpCapabilitiesBeforeItIsReady() throws Exception {
    QmpClient qmp = connect();

    assertThat(qmp.isOpen()).isTrue();
    assertThat(qemu.received).hasSize(1);
    assertThat(qemu.received.get(0).getString("execute")).isEqualTo("qmp_capabilities");
    assertThat(qemu.received.get(0).getValue("id")).as("every command carries an id").isNotNull();
  }

  @Test
  void aCommandIsAnsweredWithItsReturnValue() throws Exception {
    qemu.answer((command, client) -> FakeQmp.send(client, FakeQmp.ret(command, "query-status".equals(command.getString("execute"))
        ? new JsonObject().put("status", "paused").put("running", false) : new JsonObject())));
    QmpClient qmp = connect();

    JsonObject status = await(onContext(() -> qmp.execute("query-status")));

    assertThat(status.getString("status")).isEqualTo("paused");
    assertThat(QmpStatus.state(status.getString("status"))).isEqualTo(dev.smartgateway.cloud.InstanceState.SUSPENDED);
  }

  @Test
  void eventsBetweenACommandAndItsAnswerGoToTheEventHandlerAndTheAnswerStillArrives() throws Exception {
    qemu.answer((command, client) -> {
      if ("system_powerdown".equals(command.getString("execute"))) {
        FakeQmp.send(client, FakeQmp.event("POWERDOWN", new JsonObject()));
      }
      FakeQmp.send(client, FakeQmp.ret(command, new JsonObject()));
      if ("system_powerdown".equals(command.getString("execute"))) {
        FakeQmp.send(client, FakeQmp.event("SHUTDOWN", new JsonObject().put("guest", true).put("reason", "guest-shutdown")));
      }
    });
    QmpClient qmp = connect();
    List<QmpClient.QmpEvent> events = new CopyOnWriteArrayList<>();
    CountDownLatch shutdown = new CountDownLatch(1);
    qmp.eventHandler(event -> {
      events.add(event);
      if (event.name().equals("SHUTDOWN")) {
        shutdown.countDown();
      }
    });

    JsonObject answer = await(onContext(() -> qmp.execute("system_powerdown")));

    assertThat(answer).isEqualTo(new JsonObject());
    assertThat(shutdown.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(events).extracting(QmpClient.QmpEvent::name).containsExactly("POWERDOWN", "SHUTDOWN");
    assertThat(events.get(1).data().getString("reason")).isEqualTo("guest-shutdown");
  }

  @Test
  void answersAreMatchedToTheirCommandsByIdWhateverTheirOrder() throws Exception {
    AtomicReference<JsonObject> held = new AtomicReference<>();
    qemu.answer((command, client) -> {
      switch (command.getString("execute")) {
        case "first" -> held.set(command);
        case "second" -> {
          FakeQmp.send(client, FakeQmp.ret(command, new JsonObject().put("n", 2)));
          FakeQmp.send(client, FakeQmp.ret(held.get(), new JsonObject().put("n", 1)));
        }
        default -> FakeQmp.send(client, FakeQmp.ret(command, new JsonObject()));
      }
    });
    QmpClient qmp = connect();

    List<Future<JsonObject>> answers = await(onContext(() -> {
      Future<JsonObject> first = qmp.execute("first");
      Future<JsonObject> second = qmp.execute("second");
      return Future.all(first, second).map(all -> List.of(first, second));
    }));

    assertThat(answers.get(0).result().getInteger("n")).isEqualTo(1);
    assertThat(answers.get(1).result().getInteger("n")).isEqualTo(2);
  }

  @Test
  void aRefusedCommandFailsWithQemusErrorClassAndDescription() throws Exception {
    qemu.answer((command, client) -> FakeQmp.send(client, "cont".equals(command.getString("execute"))
        ? new JsonObject().put("error", new JsonObject().put("class", "GenericError")
            .put("desc", "Resetting the Virtual Machine is required")).put("id", command.getValue("id"))
        : FakeQmp.ret(command, new JsonObject())));
    QmpClient qmp = connect();

    assertThatThrownBy(() -> await(onContext(() -> qmp.execute("cont"))))
        .isInstanceOf(QmpException.class)
        .hasMessageContaining("QMP cont failed: GenericError: Resetting the Virtual Machine is required")
        .satisfies(e -> assertThat(((QmpException) e).errorClass()).isEqualTo("GenericError"));
  }

  @Test
  void whenQemuExitsThePendingCommandsFailAsTransientAndTheCloseHandlerRuns() throws Exception {
    qemu.answer((command, client) -> {
      if ("quit".equals(command.getString("execute"))) {
        client.close(); // QEMU leaving before it answered
      } else {
        FakeQmp.send(client, FakeQmp.ret(command, new JsonObject()));
      }
    });
    QmpClient qmp = connect();
    CountDownLatch closed = new CountDownLatch(1);
    qmp.closeHandler(v -> closed.countDown());

    assertThatThrownBy(() -> await(onContext(() -> qmp.execute("quit"))))
        .isInstanceOf(CloudException.class)
        .satisfies(e -> assertThat(((CloudException) e).kind()).isEqualTo(CloudException.Kind.TRANSIENT))
        .hasMessageContaining("closed before QEMU answered quit");
    assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(qmp.isOpen()).isFalse();
    assertThatThrownBy(() -> await(onContext(() -> qmp.execute("query-status"))))
        .isInstanceOf(CloudException.class).hasMessageContaining("QMP connection closed");
  }

  @Test
  void aCommandWithoutAnAnswerTimesOut() throws Exception {
    qemu.answer((command, client) -> {
      if (!"query-status".equals(command.getString("execute"))) {
        FakeQmp.send(client, FakeQmp.ret(command, new JsonObject()));
      }
    });
    QmpClient qmp = await(onContext(() -> QmpClient.connect(vertx, unix, qemu.socket, Duration.ofMillis(300))));

    assertThatThrownBy(() -> await(onContext(() -> qmp.execute("query-status"))))
        .isInstanceOf(CloudException.class)
        .satisfies(e -> assertThat(((CloudException) e).kind()).isEqualTo(CloudException.Kind.TIMEOUT))
        .hasMessageContaining("did not answer QMP query-status");
  }

  @Test
  void aPeerThatDoesNotGreetLikeQemuIsRefused() {
    qemu.greeting("{\"hello\": \"world\"}");

    assertThatThrownBy(this::connect).isInstanceOf(CloudException.class).hasMessageContaining("not a QMP greeting");
  }

  @Test
  void aLineThatIsNoJsonIsRefused() {
    qemu.greeting("QEMU 7.2 monitor - type 'help' for more information");

    assertThatThrownBy(this::connect).isInstanceOf(CloudException.class).hasMessageContaining("not QMP");
  }

  @Test
  void aMissingSocketFailsTheConnection() {
    assertThatThrownBy(() -> await(onContext(() -> QmpClient.connect(vertx, unix, dir.resolve("gone.qmp"), TIMEOUT))))
        .isNotNull();
  }

  @Test
  void answersSplitAcrossWritesAreReassembled() throws Exception {
    qemu.answer((command, client) -> {
      String line = FakeQmp.ret(command, new JsonObject().put("status", "running")).encode() + "\r\n";
      client.write(line.substring(0, 7));
      client.write(line.substring(7));
    });

    QmpClient qmp = connect();

    assertThat(await(onContext(() -> qmp.execute("query-status"))).getString("status")).isEqualTo("running");
  }

  private QmpClient connect() throws Exception {
    return await(onContext(() -> QmpClient.connect(vertx, unix, qemu.socket, TIMEOUT)));
  }

  /** The client is used from one context, as the provider uses it. */
  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> step) {
    io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> step.get().onComplete(promise));
    return promise.future();
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
