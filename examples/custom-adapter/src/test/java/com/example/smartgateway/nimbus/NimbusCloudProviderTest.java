package com.example.smartgateway.nimbus;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.CloudProviderFactory;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import dev.smartgateway.cloud.ProviderContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxExtension.class)
class NimbusCloudProviderTest {

  private FakeNimbus nimbus;
  private CloudProvider provider;
  private Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    nimbus = new FakeNimbus(Set.of("img-files", "img-hello")).start(vertx);
    provider = create(config(nimbus.url()));
  }

  @AfterEach
  void tearDown() {
    await(provider.close());
  }

  private static JsonObject config(String apiUrl) {
    return new JsonObject()
        .put("type", "example-cloud")
        .put("apiUrl", apiUrl)
        .put("token", FakeNimbus.TOKEN)
        .put("images", new JsonObject().put("files", "img-files").put("hello", "img-hello").put("ghost", "img-missing"));
  }

  private CloudProvider create(JsonObject config) {
    return await(new NimbusCloudProviderFactory().create(vertx, config));
  }

  @Test
  void theGatewayFindsTheAdapterByItsType() {
    // Only our registration is instantiated: the gateway's own factories are on this classpath too, but
    // without their dependencies (the pom excludes them), so instantiating them here would fail. That the
    // gateway itself finds the adapter among all of them is GatewayWithAdapterJarIT's job.
    assertThat(ServiceLoader.load(CloudProviderFactory.class).stream()
        .filter(provider -> provider.type() == NimbusCloudProviderFactory.class)
        .map(ServiceLoader.Provider::get))
        .singleElement()
        .satisfies(factory -> assertThat(factory.type()).isEqualTo("example-cloud"));
  }

  @Test
  void startCreatesALabelledMachineWithTheResourcesImage() {
    Instance started = await(provider.start("files", Set.of("g2", "g1")));

    assertThat(started.id()).isEqualTo("m-1");
    assertThat(started.resource()).isEqualTo("files");
    assertThat(started.groups()).containsExactlyInAnyOrder("g1", "g2");
    assertThat(started.state()).isEqualTo(InstanceState.BOOTING);
    assertThat(started.endpoint()).isNull();
    assertThat(nimbus.createBodies()).singleElement().isEqualTo(new JsonObject()
        .put("image", "img-files")
        .put("labels", new JsonObject()
            .put("smart-gateway", "true")
            .put("smart-gateway-resource", "files")
            .put("smart-gateway-groups", "g1,g2")));
    assertThat(nimbus.requests()).singleElement().isEqualTo("POST /v1/machines auth=Bearer test-token");
  }

  @Test
  void aProviderOfAGatewayLabelsEveryMachineWithItsOwnerAndReportsIt() {
    CloudProvider owned = await(new NimbusCloudProviderFactory().create(vertx, config(nimbus.url()),
        ProviderContext.of("gw-a")));
    try {
      Instance started = await(owned.start("files", Set.of("g1")));

      assertThat(nimbus.createBodies()).singleElement()
          .satisfies(body -> assertThat(body.getJsonObject("labels").getString("smart-gateway-owner")).isEqualTo("gw-a"));
      assertThat(started.owner()).isEqualTo("gw-a");
      assertThat(await(owned.describe(started.id())).owner()).isEqualTo("gw-a");
      assertThat(await(owned.list())).extracting(Instance::owner).containsExactly("gw-a");
    } finally {
      await(owned.close());
    }
  }

  @Test
  void describeFollowsTheMachineUntilItIsActiveAndHasAnEndpoint() {
    Instance started = await(provider.start("hello", Set.of("g1")));
    assertThat(await(provider.describe(started.id())).state()).isEqualTo(InstanceState.BOOTING);

    nimbus.activate(started.id(), 8443);
    Instance running = await(provider.describe(started.id()));

    assertThat(running.state()).isEqualTo(InstanceState.RUNNING);
    assertThat(running.endpoint()).isEqualTo(URI.create("http://127.0.0.1:8443"));
    assertThat(running.metadata()).containsEntry("nimbus.status", "active").containsEntry("nimbus.image", "img-hello");
  }

  @Test
  void nimbusStatusesMapToInstanceStates() {
    Instance started = await(provider.start("files", Set.of("g1")));
    for (var expected : List.of(
        new Object[] {"provisioning", InstanceState.BOOTING},
        new Object[] {"stopping", InstanceState.STOPPING},
        new Object[] {"terminated", InstanceState.STOPPED},
        new Object[] {"error", InstanceState.FAILED},
        new Object[] {"hibernating", InstanceState.PENDING},
        new Object[] {"active", InstanceState.BOOTING})) { // active without ip/port: not routable yet
      nimbus.setStatus(started.id(), (String) expected[0]);
      assertThat(await(provider.describe(started.id())).state()).as((String) expected[0]).isEqualTo(expected[1]);
    }
  }

  @Test
  void stopDeletesTheMachineAndIsIdempotent() {
    Instance started = await(provider.start("files", Set.of("g1")));

    await(provider.stop(started.id()));
    await(provider.stop(started.id()));
    await(provider.stop("m-does-not-exist"));

    assertThat(await(provider.describe(started.id())).state()).isEqualTo(InstanceState.STOPPED);
    assertThat(nimbus.requests()).contains("DELETE /v1/machines/m-1 auth=Bearer test-token");
  }

  @Test
  void describeOfAMachineNimbusForgotIsInstanceNotFound() {
    assertThatThrownBy(() -> await(provider.describe("m-404"))).isInstanceOfSatisfying(CloudException.class,
        e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.INSTANCE_NOT_FOUND));
  }

  @Test
  void listReturnsTheGatewaysMachinesOnlyForAdoptionAfterARestart() {
    Instance files = await(provider.start("files", Set.of("g1")));
    Instance hello = await(provider.start("hello", Set.of("g2")));
    nimbus.activate(files.id(), 9001);
    nimbus.addForeignMachine("m-db");

    List<Instance> listed = await(provider.list());

    assertThat(listed).extracting(Instance::id).containsExactlyInAnyOrder(files.id(), hello.id());
    assertThat(listed).filteredOn(i -> i.id().equals(files.id())).singleElement()
        .satisfies(i -> assertThat(i.state()).isEqualTo(InstanceState.RUNNING));
    assertThat(nimbus.requests()).contains("GET /v1/machines?label=smart-gateway auth=Bearer test-token");
  }

  @Test
  void aResourceWithoutAnImageIsUnknownWithoutAskingNimbus() {
    assertThatThrownBy(() -> await(provider.start("nope", Set.of("g1")))).isInstanceOfSatisfying(CloudException.class,
        e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.UNKNOWN_RESOURCE));
    assertThat(nimbus.requests()).isEmpty();
  }

  @Test
  void anImageNimbusDoesNotKnowIsAnUnknownResource() {
    assertThatThrownBy(() -> await(provider.start("ghost", Set.of("g1")))).isInstanceOfSatisfying(CloudException.class, e -> {
      assertThat(e.kind()).isEqualTo(CloudException.Kind.UNKNOWN_RESOURCE);
      assertThat(e).hasMessageContaining("img-missing");
    });
  }

  @Test
  void rateLimitingIsTransientAndKeepsTheRetryAfterHint() {
    nimbus.failNext(429);

    assertThatThrownBy(() -> await(provider.start("files", Set.of("g1")))).isInstanceOfSatisfying(CloudException.class, e -> {
      assertThat(e.kind()).isEqualTo(CloudException.Kind.TRANSIENT);
      assertThat(e).hasMessageContaining("Retry-After: 7s");
    });
    assertThat(await(provider.start("files", Set.of("g1"))).state()).as("the next call goes through").isEqualTo(InstanceState.BOOTING);
  }

  @Test
  void errorAnswersMapToTheGatewaysErrorKinds() {
    nimbus.failNext(500, 503, 403, 409, 400);

    assertThat(kindOf(provider.start("files", Set.of("g1")))).isEqualTo(CloudException.Kind.TRANSIENT);
    assertThat(kindOf(provider.list())).isEqualTo(CloudException.Kind.TRANSIENT);
    assertThat(kindOf(provider.start("files", Set.of("g1")))).isEqualTo(CloudException.Kind.REFUSED);
    assertThat(kindOf(provider.start("files", Set.of("g1")))).as("quota").isEqualTo(CloudException.Kind.CAPACITY);
    assertThat(kindOf(provider.stop("m-1"))).isEqualTo(CloudException.Kind.PERMANENT);
  }

  @Test
  void aRejectedTokenIsPermanentAndSaysWhichKeyToCheck() {
    CloudProvider wrongToken = create(config(nimbus.url()).put("token", "stale"));
    try {
      assertThatThrownBy(() -> await(wrongToken.list())).isInstanceOfSatisfying(CloudException.class, e -> {
        assertThat(e.kind()).isEqualTo(CloudException.Kind.PERMANENT);
        assertThat(e).hasMessageContaining("401").hasMessageContaining("provider.token").hasMessageNotContaining("stale");
      });
    } finally {
      await(wrongToken.close());
    }
  }

  @Test
  void anUnreachableOrSilentApiIsTransient() {
    CloudProvider unreachable = create(config("http://127.0.0.1:1"));
    CloudProvider impatient = create(config(nimbus.url()).put("requestTimeout", "300ms"));
    try {
      assertThat(kindOf(unreachable.describe("m-1"))).isEqualTo(CloudException.Kind.TRANSIENT);
      nimbus.goSilent();
      assertThat(kindOf(impatient.describe("m-1"))).isEqualTo(CloudException.Kind.TRANSIENT);
    } finally {
      await(unreachable.close());
      await(impatient.close());
    }
  }

  /** Found by NimbusConformanceTest: the closed client threw inside the call, whose future then never completed. */
  @Test
  void callsToAClosedProviderFailAsPermanentInsteadOfHanging() {
    CloudProvider closed = create(config(nimbus.url()));
    await(closed.close());

    assertThat(kindOf(closed.start("files", Set.of("g1")))).isEqualTo(CloudException.Kind.PERMANENT);
    assertThat(kindOf(closed.describe("m-1"))).isEqualTo(CloudException.Kind.PERMANENT);
    assertThat(kindOf(closed.stop("m-1"))).isEqualTo(CloudException.Kind.PERMANENT);
    assertThat(kindOf(closed.list())).isEqualTo(CloudException.Kind.PERMANENT);
    assertThat(nimbus.createBodies()).as("machines created").isEmpty();
  }

  @Test
  void nimbusOffersNoEventStreamSoTheGatewayPolls() {
    assertThat(provider.events()).isEmpty();
  }

  @Test
  void configurationErrorsNameTheKey() {
    assertThat(createFailure(new JsonObject().put("token", "t").put("images", new JsonObject().put("a", "b"))))
        .startsWith("provider.apiUrl: required");
    assertThat(createFailure(config("ftp://nimbus.example"))).startsWith("provider.apiUrl: not an http(s) URL");
    assertThat(createFailure(config(nimbus.url()).put("token", (String) null))).startsWith("provider.token: required");
    assertThat(createFailure(config(nimbus.url()).put("images", new JsonObject()))).startsWith("provider.images: required");
    assertThat(createFailure(config(nimbus.url()).put("images", new JsonObject().put("files", 3))))
        .startsWith("provider.images.files: must be an image name");
    assertThat(createFailure(config(nimbus.url()).put("requestTimeout", "soon"))).startsWith("provider.requestTimeout:");
    assertThat(createFailure(config(nimbus.url()).put("tokenEnv", "NIMBUS_TOKEN"))).startsWith("provider.token: give token or tokenEnv");
    assertThat(createFailure(config(nimbus.url()).put("region", "eu"))).startsWith("provider.region: unknown key");
  }

  private String createFailure(JsonObject config) {
    Future<CloudProvider> created = new NimbusCloudProviderFactory().create(vertx, config);
    assertThat(created.failed()).as("create fails for " + config.encode()).isTrue();
    return created.cause().getMessage();
  }

  private static CloudException.Kind kindOf(Future<?> call) {
    try {
      await(call);
    } catch (CloudException e) {
      return e.kind();
    }
    throw new AssertionError("expected the call to fail");
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new AssertionError(e.getCause());
    } catch (Exception e) {
      throw new AssertionError("no answer within 10s", e);
    }
  }
}
