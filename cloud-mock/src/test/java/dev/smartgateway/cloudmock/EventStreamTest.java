package dev.smartgateway.cloudmock;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.smartgateway.cloudmock.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

class EventStreamTest extends MockCloudTestBase {

  @Test
  void streamDeliversEveryTransitionOfAVmInOrder() {
    EventRecorder events = await(EventRecorder.connect(vertx, cloud.port()));
    String id = api.start("app", "g").getString("id");
    events.awaitState(id, "RUNNING");
    api.stop(id);
    events.awaitState(id, "STOPPED");

    assertThat(events.statesOf(id)).containsExactly("BOOTING", "RUNNING", "STOPPING", "STOPPED");
    JsonObject running = events.vmEvents().stream()
        .filter(vm -> "RUNNING".equals(vm.getString("state"))).findFirst().orElseThrow();
    assertThat(running.getString("endpoint")).startsWith("http://127.0.0.1:");
    assertThat(running.getLong("readyAt")).isNotNull();
    events.close();
  }

  @Test
  void eachChangeIsAnEventNamedVmCarryingTheVmJson() {
    EventRecorder events = await(EventRecorder.connect(vertx, cloud.port()));
    assertThat(events.response().statusCode()).isEqualTo(200);
    assertThat(events.response().getHeader("Content-Type")).startsWith("text/event-stream");

    JsonObject created = api.start("app");
    events.awaitState(created.getString("id"), "BOOTING");

    String booting = events.rawEvents().stream().filter(e -> e.startsWith("event:")).findFirst().orElseThrow();
    assertThat(booting).isEqualTo("event: vm\ndata: " + created.encode());
    events.close();
  }

  @Test
  void everySubscriberSeesEveryVm() {
    EventRecorder first = await(EventRecorder.connect(vertx, cloud.port()));
    EventRecorder second = await(EventRecorder.connect(vertx, cloud.port()));
    String a = api.start("a").getString("id");
    String b = api.start("b").getString("id");

    for (EventRecorder events : new EventRecorder[] {first, second}) {
      events.awaitState(a, "RUNNING");
      events.awaitState(b, "RUNNING");
    }
    first.close();
    second.close();
  }
}
