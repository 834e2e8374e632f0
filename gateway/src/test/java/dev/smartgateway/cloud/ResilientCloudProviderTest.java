package dev.smartgateway.cloud;

import dev.smartgateway.config.CloudCallsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The cloud's "no" (capacity, refused, unknown resource) is an answer: never retried, never a breaker failure. */
@ExtendWith(VertxExtension.class)
class ResilientCloudProviderTest {

  /** 3 retries; the breaker opens once half of at least 2 calls in a window of 4 failed, and stays open a minute. */
  private static final CloudCallsConfig CONFIG = config(3, 2);

  @ParameterizedTest
  @EnumSource(value = CloudException.Kind.class, names = {"CAPACITY", "REFUSED", "UNKNOWN_RESOURCE"})
  void aRefusalIsNotRetriedAndNeverOpensTheBreaker(CloudException.Kind kind, Vertx vertx) {
    RefusingCloud cloud = new RefusingCloud(kind);
    ResilientCloudProvider provider = new ResilientCloudProvider(vertx, cloud, CONFIG, "test");

    for (int i = 1; i <= 6; i++) {
      assertThat(startFailure(provider).kind()).isEqualTo(kind);
      assertThat(cloud.starts.get()).as("one cloud call per start: no retry, no open breaker").isEqualTo(i);
    }
  }

  // The two contrasts below show that the set-up above would see a retry or an open breaker.

  @Test
  void aTransientFailureIsRetried(Vertx vertx) {
    RefusingCloud cloud = new RefusingCloud(CloudException.Kind.TRANSIENT);
    ResilientCloudProvider provider = new ResilientCloudProvider(vertx, cloud, config(3, 100), "test");

    assertThat(startFailure(provider).kind()).isEqualTo(CloudException.Kind.TRANSIENT);
    assertThat(cloud.starts.get()).as("the first call and 3 retries").isEqualTo(4);
  }

  @Test
  void transientFailuresOpenTheBreaker(Vertx vertx) {
    RefusingCloud cloud = new RefusingCloud(CloudException.Kind.TRANSIENT);
    ResilientCloudProvider provider = new ResilientCloudProvider(vertx, cloud, config(0, 2), "test");
    startFailure(provider);
    startFailure(provider);

    CloudException open = startFailure(provider);

    assertThat(open.getMessage()).contains("circuit open");
    assertThat(cloud.starts.get()).as("an open breaker calls nobody").isEqualTo(2);
  }

  private static CloudCallsConfig config(int retries, int breakerMinimumCalls) {
    return new CloudCallsConfig(Duration.ofSeconds(10), retries, Duration.ofMillis(1), 50, breakerMinimumCalls,
        Math.max(4, breakerMinimumCalls), Duration.ofMinutes(1), 1);
  }

  private static CloudException startFailure(CloudProvider provider) {
    Future<Throwable> failure = provider.start("app", Set.of("g1")).transform(ar -> ar.succeeded()
        ? Future.failedFuture(new AssertionError("expected a failure"))
        : Future.succeededFuture(ar.cause()));
    try {
      Throwable cause = failure.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertThat(cause).isInstanceOf(CloudException.class);
      return (CloudException) cause;
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A cloud whose every start fails with one kind; counts the starts that reached it. */
  private static final class RefusingCloud implements CloudProvider {

    private final CloudException.Kind kind;
    private final AtomicInteger starts = new AtomicInteger();

    RefusingCloud(CloudException.Kind kind) {
      this.kind = kind;
    }

    @Override
    public Future<Instance> start(String resource, Set<String> groups) {
      starts.incrementAndGet();
      return Future.failedFuture(new CloudException(kind, "start " + resource + ": " + kind));
    }

    @Override
    public Future<Instance> describe(String instanceId) {
      return Future.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public Future<Void> stop(String instanceId) {
      return Future.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public Future<List<Instance>> list() {
      return Future.failedFuture(new UnsupportedOperationException());
    }
  }
}
