package dev.smartgateway.cloud.mock;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import dev.smartgateway.cloud.ProviderContext;
import dev.smartgateway.cloudmock.MockCloud;
import dev.smartgateway.cloudmock.MockCloudOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** How the mock adapter types the mock cloud's answers, against a real mock cloud in-process. */
@ExtendWith(VertxExtension.class)
class MockCloudProviderTest {

  private static final Duration DEADLINE = Duration.ofSeconds(20);

  private MockCloud cloud;
  /** The test's own client of the mock's API, for faults and stats; held so Vert.x does not close it. */
  private WebClient mockApi;
  private CloudProvider provider;
  /** Providers of named gateways, created by the test that needs them. */
  private final List<CloudProvider> owned = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx) {
    cloud = await(MockCloud.start(vertx, MockCloudOptions.defaults()
        .withHost("127.0.0.1").withPort(0).withBootDelay(10, 50).withSeed(7L)));
    mockApi = WebClient.create(vertx);
    provider = await(new MockCloudProviderFactory().create(vertx,
        new JsonObject().put("url", cloud.baseUrl()).put("events", false)));
  }

  @AfterEach
  void close() {
    owned.forEach(p -> await(p.close()));
    if (provider != null) {
      await(provider.close());
    }
    if (mockApi != null) {
      mockApi.close();
    }
    if (cloud != null) {
      await(cloud.close());
    }
  }

  @Test
  void aStartOutOfCapacityIsCapacityWithTheCloudsRetryAfter() {
    faults("{\"startError\":\"capacity\"}");

    CloudException error = startFailure();

    assertThat(error.kind()).isEqualTo(CloudException.Kind.CAPACITY);
    assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(error.isCloudFault()).as("an answer, not a fault").isFalse();
    assertThat(stats().getInteger("started")).isZero();
  }

  @Test
  void aRefusedStartIsRefused() {
    faults("{\"startError\":\"refused\"}");

    CloudException error = startFailure();

    assertThat(error.kind()).isEqualTo(CloudException.Kind.REFUSED);
    assertThat(error.getMessage()).contains("app");
  }

  @Test
  void aStartOfAResourceTheCloudDoesNotKnowIsUnknownResource() {
    faults("{\"startError\":\"unknown-resource\"}");

    assertThat(startFailure().kind()).isEqualTo(CloudException.Kind.UNKNOWN_RESOURCE);
  }

  @Test
  void aStartThatFailsWith500IsTransient() {
    faults("{\"startError\":\"error\"}");

    assertThat(startFailure().kind()).isEqualTo(CloudException.Kind.TRANSIENT);
  }

  @Test
  void aStopThatFailsIsTransientAndOnceTheFaultIsResetTheStopWorks() {
    Instance vm = await(provider.start("app", Set.of("g1")));
    faults("{\"stopError\":true}");

    CloudException error = failure(provider.stop(vm.id()));

    assertThat(error.kind()).isEqualTo(CloudException.Kind.TRANSIENT);
    assertThat(await(provider.describe(vm.id())).state()).isIn(InstanceState.BOOTING, InstanceState.RUNNING);

    faults("{\"stopError\":false}");
    await(provider.stop(vm.id()));
    assertThat(await(provider.describe(vm.id())).state()).isIn(InstanceState.STOPPING, InstanceState.STOPPED);
    assertThat(stats().getJsonObject("calls").getInteger("stop")).isEqualTo(2);
  }

  @Test
  void anOwnedProviderLabelsEveryVmWithItsOwnerAndReportsItEverywhere(Vertx vertx) {
    CloudProvider gatewayA = owned(vertx, "gw-a");

    Instance started = await(gatewayA.start("app", Set.of("g1")));

    assertThat(started.owner()).isEqualTo("gw-a");
    assertThat(started.metadata()).containsEntry(Instance.OWNER, "gw-a");
    assertThat(mockVm(started.id()).getJsonObject("labels")).isEqualTo(new JsonObject().put("owner", "gw-a"));
    assertThat(await(gatewayA.describe(started.id())).owner()).isEqualTo("gw-a");
    assertThat(await(gatewayA.list())).singleElement().extracting(Instance::owner).isEqualTo("gw-a");
  }

  @Test
  void listShowsEveryOwnersVmsWithTheirOwnerAndUnlabelledOnesWithNone(Vertx vertx) {
    Instance a = await(owned(vertx, "gw-a").start("app", Set.of("g1")));
    Instance b = await(owned(vertx, "gw-b").start("app", Set.of("g1")));
    Instance anonymous = await(provider.start("app", Set.of("g1")));

    assertThat(anonymous.owner()).isNull();
    assertThat(mockVm(anonymous.id()).getJsonObject("labels")).isEqualTo(new JsonObject());
    assertThat(await(provider.list())).extracting(Instance::id, Instance::owner)
        .containsExactly(tuple(a.id(), "gw-a"), tuple(b.id(), "gw-b"), tuple(anonymous.id(), null));
  }

  /** Found by the adapter conformance kit: the closed client threw IllegalStateException out of each call. */
  @Test
  void callsToAClosedProviderFailAsPermanentCloudExceptionsInsteadOfThrowing(Vertx vertx) {
    CloudProvider closed = owned(vertx, "gw-a");
    await(closed.close());

    assertThat(failure(closed.start("app", Set.of("g1"))).kind()).isEqualTo(CloudException.Kind.PERMANENT);
    assertThat(failure(closed.describe("vm-1")).kind()).isEqualTo(CloudException.Kind.PERMANENT);
    assertThat(failure(closed.stop("vm-1")).kind()).isEqualTo(CloudException.Kind.PERMANENT);
    assertThat(failure(closed.list()).kind()).isEqualTo(CloudException.Kind.PERMANENT);
    assertThat(stats().getInteger("started")).isZero();
  }

  /**
   * A VM started right after create (a gateway's first request) must not be RUNNING before the event stream is there
   * to say so: the conformance kit waits for RUNNING from the events of a provider that offers them.
   */
  @Test
  void aProviderWithEventsAnswersCreateOnceItsEventStreamIsSubscribed(Vertx vertx) {
    AtomicBoolean subscribed = new AtomicBoolean();
    HttpServer api = await(vertx.createHttpServer().requestHandler(request -> {
      if (request.path().equals("/api/events")) {
        subscribed.set(true); // as the mock cloud does: the subscriber is registered before the answer starts
        request.response().setChunked(true).putHeader("Content-Type", "text/event-stream").write(": connected\n\n");
      } else {
        request.response().setStatusCode(404).end();
      }
    }).listen(0, "127.0.0.1"));

    CloudProvider withEvents = await(new MockCloudProviderFactory().create(vertx,
        new JsonObject().put("url", "http://127.0.0.1:" + api.actualPort())));
    owned.add(withEvents);

    assertThat(subscribed).as("subscribed to the event stream when create answered").isTrue();
  }

  @Test
  void aProviderWhoseEventStreamCannotConnectIsCreatedAllTheSame(Vertx vertx) throws IOException {
    int nothingListens;
    try (ServerSocket socket = new ServerSocket(0)) {
      nothingListens = socket.getLocalPort();
    }

    CloudProvider unreachable = await(new MockCloudProviderFactory().create(vertx,
        new JsonObject().put("url", "http://127.0.0.1:" + nothingListens)));
    owned.add(unreachable);

    assertThat(unreachable.events()).as("its events, which reconnect on their own").isPresent();
  }

  @Test
  void labelsOtherThanTheOwnerShowAsLabelMetadata() {
    Instance vm = MockCloudProvider.toInstance(new JsonObject().put("id", "vm-9").put("resource", "app")
        .put("groups", new io.vertx.core.json.JsonArray().add("g1")).put("state", "RUNNING")
        .put("endpoint", "http://127.0.0.1:1").put("labels", new JsonObject().put("owner", "gw-a").put("team", "blue")));

    assertThat(vm.metadata()).containsEntry("owner", "gw-a").containsEntry("label.team", "blue");
  }

  private CloudProvider owned(Vertx vertx, String owner) {
    CloudProvider created = await(new MockCloudProviderFactory().create(vertx,
        new JsonObject().put("url", cloud.baseUrl()).put("events", false), ProviderContext.of(owner)));
    owned.add(created);
    return created;
  }

  private JsonObject mockVm(String id) {
    return await(mockApi.get(cloud.port(), "127.0.0.1", "/api/vms/" + id).send()).bodyAsJsonObject();
  }

  private CloudException startFailure() {
    return failure(provider.start("app", Set.of("g1")));
  }

  private void faults(String patch) {
    HttpResponse<Buffer> response = await(mockApi.put(cloud.port(), "127.0.0.1", "/api/faults")
        .sendJsonObject(new JsonObject(patch)));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
  }

  private JsonObject stats() {
    return await(mockApi.get(cloud.port(), "127.0.0.1", "/api/stats").send()).bodyAsJsonObject();
  }

  private static CloudException failure(Future<?> future) {
    Throwable cause = await(future.transform(ar -> ar.succeeded()
        ? Future.failedFuture(new AssertionError("expected a failure, got " + ar.result()))
        : Future.succeededFuture(ar.cause())));
    assertThat(cause).isInstanceOf(CloudException.class);
    return (CloudException) cause;
  }

  /** The future's result, waited for on the JUnit thread up to a deadline. */
  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new AssertionError(e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("nothing happened within " + DEADLINE, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
