package dev.smartgateway.cloudmock;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static dev.smartgateway.cloudmock.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class SeededBootDelaysTest {

  // Far-off boots: delays are drawn at creation, so no VM has to start for the sequence to show.
  private static final MockCloudOptions SLOW = MockCloudOptions.defaults().withPort(0)
      .withBootDelay(60_000, 120_000);

  private record Run(List<Long> bootDelays, JsonObject stats) {
  }

  @Test
  void twoCloudsWithTheSameSeedDrawTheSameBootDelays(Vertx vertx) {
    List<Long> first = run(vertx, SLOW.withSeed(7L), null).bootDelays();
    List<Long> second = run(vertx, SLOW.withSeed(7L), null).bootDelays();

    assertThat(second).isEqualTo(first);
    assertThat(first).allSatisfy(ms -> assertThat(ms).isBetween(60_000L, 120_000L));
    assertThat(first).as("drawn, not constant").doesNotHaveDuplicates();
  }

  @Test
  void differentSeedsDrawDifferentBootDelays(Vertx vertx) {
    assertThat(run(vertx, SLOW.withSeed(7L), null).bootDelays())
        .isNotEqualTo(run(vertx, SLOW.withSeed(8L), null).bootDelays());
  }

  @Test
  void injectedBootFailuresDoNotShiftTheBootDelays(Vertx vertx) {
    MockCloudOptions quick = MockCloudOptions.defaults().withPort(0).withBootDelay(1, 30).withSeed(7L);

    Run calm = run(vertx, quick, null);
    Run faulty = run(vertx, quick, "{\"bootFailureRate\":0.5}");

    assertThat(faulty.stats().getInteger("failed")).as("some boots failed").isPositive();
    assertThat(faulty.stats().getInteger("running")).as("some boots worked").isPositive();
    assertThat(faulty.bootDelays()).isEqualTo(calm.bootDelays());
  }

  /**
   * Creates eight VMs one after the other and returns their boot delays in creation order. With faults
   * set, each boot ends before the next start, so failure draws interleave with the delay draws.
   */
  private static Run run(Vertx vertx, MockCloudOptions options, String faults) {
    MockCloud cloud = await(MockCloud.start(vertx, options));
    try {
      CloudApi api = new CloudApi(vertx, cloud.port());
      if (faults != null) {
        api.faults(faults);
      }
      List<Long> delays = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String id = api.start("app").getString("id");
        delays.add(api.vm(id).getLong("bootMs"));
        if (faults != null) {
          api.awaitBootEnd(id);
        }
      }
      return new Run(delays, api.stats());
    } finally {
      await(cloud.close());
    }
  }
}
