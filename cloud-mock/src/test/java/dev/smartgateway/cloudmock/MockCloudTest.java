package dev.smartgateway.cloudmock;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static dev.smartgateway.cloudmock.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedding API the gateway and its tests use. */
@ExtendWith(VertxExtension.class)
class MockCloudTest {

  private static final MockCloudOptions QUICK =
      MockCloudOptions.defaults().withPort(0).withBootDelay(50, 200).withSeed(1L);

  @Test
  void defaultsMatchTheCommandLineDefaults() {
    MockCloudOptions defaults = MockCloudOptions.defaults();

    assertThat(defaults.host()).isEqualTo("127.0.0.1");
    assertThat(defaults.port()).isEqualTo(9090);
    assertThat(defaults.bootMinMs()).isZero();
    assertThat(defaults.bootMaxMs()).isEqualTo(10_000);
    assertThat(defaults.seed()).isNull();
    assertThat(defaults.resources()).isEmpty();
  }

  @Test
  void optionsRefuseImpossibleValues() {
    MockCloudOptions defaults = MockCloudOptions.defaults();

    assertThatThrownBy(() -> defaults.withPort(70_000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withBootDelay(500, 100)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withBootDelay(-1, 100)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withHost(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void startsOnAnEphemeralPortAndReportsItsBaseUrl(Vertx vertx) {
    MockCloud cloud = await(MockCloud.start(vertx, QUICK));
    try {
      assertThat(cloud.port()).isPositive();
      assertThat(cloud.baseUrl()).isEqualTo("http://127.0.0.1:" + cloud.port());
      assertThat(new CloudApi(vertx, cloud.port()).stats().getInteger("started")).isZero();
    } finally {
      await(cloud.close());
    }
  }

  @Test
  void closeShutsTheApiAndEveryVmButLeavesVertxOpen(Vertx vertx) {
    MockCloud cloud = await(MockCloud.start(vertx, QUICK));
    CloudApi api = new CloudApi(vertx, cloud.port());
    JsonObject vm = api.startRunning("app");

    await(cloud.close());

    assertThat(await(api.refuses(cloud.port()))).as("API closed").isTrue();
    assertThat(await(api.refuses(CloudApi.port(vm)))).as("VM closed").isTrue();
    assertThat(await(cloud.close().map("closed twice"))).isEqualTo("closed twice");
    assertThat(await(vertx.createHttpServer().requestHandler(r -> r.response().end()).listen(0)).actualPort())
        .as("the caller's Vertx still works").isPositive();
  }

  @Test
  void closeWhileVmsAreStoppingClosesCleanly(Vertx vertx) {
    MockCloud cloud = await(MockCloud.start(vertx, QUICK));
    CloudApi api = new CloudApi(vertx, cloud.port());
    List<JsonObject> vms = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      vms.add(api.startRunning("app"));
    }
    List<Future<HttpResponse<Buffer>>> stops = new ArrayList<>();
    for (JsonObject vm : vms) {
      stops.add(api.call(HttpMethod.DELETE, "/api/vms/" + vm.getString("id"), null));
    }
    await(Future.all(stops));

    // The stops answered; their servers are closing right now, while the cloud closes too.
    await(cloud.close());

    for (JsonObject vm : vms) {
      assertThat(await(api.refuses(CloudApi.port(vm)))).as("VM %s closed", vm.getString("id")).isTrue();
    }
  }

  @Test
  void startFailsWhenThePortIsTaken(Vertx vertx) {
    MockCloud first = await(MockCloud.start(vertx, QUICK));
    try {
      assertThatThrownBy(() -> await(MockCloud.start(vertx, QUICK.withPort(first.port()))))
          .hasRootCauseInstanceOf(java.net.BindException.class);
    } finally {
      await(first.close());
    }
  }

  @Test
  void twoCloudsInOneVertxAreIndependent(Vertx vertx) {
    MockCloud a = await(MockCloud.start(vertx, QUICK));
    MockCloud b = await(MockCloud.start(vertx, QUICK));
    try {
      new CloudApi(vertx, a.port()).start("app");

      assertThat(new CloudApi(vertx, a.port()).stats().getInteger("started")).isEqualTo(1);
      assertThat(new CloudApi(vertx, b.port()).stats().getInteger("started")).isZero();
    } finally {
      await(a.close());
      await(b.close());
    }
  }
}
