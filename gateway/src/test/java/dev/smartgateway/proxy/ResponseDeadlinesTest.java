package dev.smartgateway.proxy;

import static dev.smartgateway.proxy.Bench.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One timer per timeout value for all of an event loop's exchanges: each still times out at its own deadline. */
@ExtendWith(VertxExtension.class)
class ResponseDeadlinesTest {

  @Test
  void eachDeadlineRunsAtItsOwnTimeAndACancelledOneNever(Vertx vertx) {
    Context context = vertx.getOrCreateContext();
    List<String> fired = new CopyOnWriteArrayList<>();
    List<Long> lateness = new CopyOnWriteArrayList<>();
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      ResponseDeadlines deadlines = ResponseDeadlines.of(vertx, context);
      long start = System.nanoTime();
      deadlines.start(150, () -> {
        fired.add("first");
        lateness.add((System.nanoTime() - start) / 1_000_000 - 150);
      });
      ResponseDeadlines.Deadline answered = deadlines.start(150, () -> fired.add("answered"));
      deadlines.start(50, () -> {
        fired.add("short");
        lateness.add((System.nanoTime() - start) / 1_000_000 - 50);
      });
      answered.cancel();
      answered.cancel(); // idempotent, as an exchange may end twice over (answer, then abort)
      // One that starts later on the same list, once the first has been cancelled: runs at its own deadline.
      vertx.setTimer(100, id -> {
        long later = System.nanoTime();
        deadlines.start(150, () -> {
          fired.add("later");
          lateness.add((System.nanoTime() - later) / 1_000_000 - 150);
          done.complete();
        });
      });
    });
    await(done.future());
    assertThat(fired).containsExactly("short", "first", "later");
    assertThat(lateness).allSatisfy(ms -> assertThat(ms).isBetween(0L, 1_000L));
  }

  @Test
  void theDeadlinesOfAContextAreShared(Vertx vertx) {
    Context context = vertx.getOrCreateContext();
    assertThat(ResponseDeadlines.of(vertx, context)).isSameAs(ResponseDeadlines.of(vertx, context));
    assertThat(ResponseDeadlines.of(vertx, vertx.getOrCreateContext()))
        .isNotSameAs(ResponseDeadlines.of(vertx, context));
  }
}
