package dev.smartgateway.conformance;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.CloudProviderFactory;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import dev.smartgateway.cloud.ProviderContext;
import dev.smartgateway.conformance.ContractSession.Driven;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The cloud SPI's contract ({@link CloudProvider}, {@link CloudProviderFactory}) as tests an adapter inherits. An
 * adapter's test extends this class and says how to create its provider for an owner and which resource starts; every
 * test here then runs against it:
 *
 * <pre>{@code
 * class MyCloudConformanceTest extends CloudProviderContract {
 *   @Override
 *   protected Future<CloudProvider> createProvider(Vertx vertx, ProviderContext context) {
 *     return new MyCloudProviderFactory().create(vertx, new JsonObject().put("apiUrl", ...), context);
 *   }
 *
 *   @Override
 *   protected String startableResource() {
 *     return "web";
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #createProvider} is called several times in one test, with different owners and with the same owner
 * again: every provider it creates must act on the <em>same cloud</em> (the same account, state directory, daemon),
 * as gateways that share a cloud, or one gateway restarted, do.
 *
 * <p>How it drives the adapter: every SPI call is made on one Vert.x event-loop context, as the gateway makes them;
 * the test thread waits for each answer with a deadline ({@link #timeouts()}), and waits for conditions (RUNNING, an
 * answering endpoint, a stopped instance) by looking again on timers, never by sleeping. Every instance a test
 * starts is stopped after it, passed or failed, before the subclass's {@code @AfterEach} runs; then its providers
 * are closed. The Vert.x instance comes from {@link VertxExtension}: a subclass's {@code @BeforeEach} method that
 * takes a {@code Vertx} parameter gets the same one.
 *
 * <p>Every call's failure, in any test, must be a {@link CloudException}; a method that throws where it should
 * answer a failed future, or a future that never completes, fails the test that met it.
 */
@ExtendWith({VertxExtension.class, ContractCleanup.class})
public abstract class CloudProviderContract {

  private ContractSession session;

  // ------------------------------------------------------------------ what the author provides

  /**
   * Creates the adapter's provider acting for {@code context.owner()}, on the cloud under test: as the gateway does,
   * usually {@code new MyFactory().create(vertx, providerSection, context)}. Called on a Vert.x event-loop context.
   */
  protected abstract Future<CloudProvider> createProvider(Vertx vertx, ProviderContext context);

  /** A resource whose instances start, reach RUNNING within {@link ContractTimeouts#ready()}, and answer HTTP. */
  protected abstract String startableResource();

  /**
   * A resource the cloud does not know, whose start must fail with {@link CloudException.Kind#UNKNOWN_RESOURCE};
   * empty if the adapter starts whatever it is asked to (then that test is skipped).
   */
  protected Optional<String> unknownResource() {
    return Optional.of("conformance-unknown-resource");
  }

  /** The groups instances are started for. */
  protected Set<String> groups() {
    return Set.of("conformance");
  }

  /** An instance id the cloud never had; well-formed for the cloud, if it has a form for ids. */
  protected String unknownInstanceId() {
    return "conformance-unknown-instance";
  }

  /** The path asked of an instance's endpoint to see that it answers HTTP (with any status). */
  protected String probePath() {
    return "/";
  }

  /** How many starts {@link #concurrentStartsGiveDistinctInstancesThatAllRunAndAllStop} issues at once. */
  protected int concurrentStarts() {
    return 5;
  }

  /** How long to wait: generous by default (real VMs); see {@link ContractTimeouts}. */
  protected ContractTimeouts timeouts() {
    return ContractTimeouts.DEFAULTS;
  }

  // ------------------------------------------------------------------ the session of one test

  @BeforeEach
  protected final void openContractSession(Vertx vertx) {
    session = new ContractSession(vertx, timeouts(), this::createProvider, probePath());
  }

  /** Called by {@link ContractCleanup} right after each test method. */
  final void endContractSession() {
    ContractSession ending = session;
    session = null;
    if (ending != null) {
      ending.close();
    }
  }

  // ------------------------------------------------------------------ the contract

  @Test
  void startAnswersBootingOrRunningAndTheInstanceBecomesRunningWithAnEndpointThatAnswersHttp() {
    Driven provider = session.open(session.owner("a"));

    Instance started = session.start(provider, startableResource(), groups());

    assertThat(started).as("start's answer").isNotNull();
    String id = started.id();
    assertThat(id).as("the id start answers").isNotBlank();
    assertThat(started.state()).as("the state start answers for %s: once the cloud accepted it, BOOTING or RUNNING",
        id).isIn(InstanceState.BOOTING, InstanceState.RUNNING);
    assertThat(started.resource()).as("the resource of %s as start answers it", id).isEqualTo(startableResource());
    assertThat(started.groups()).as("the groups of %s as start answers them", id).isEqualTo(groups());
    if (started.state() != InstanceState.RUNNING) {
      assertThat(started.endpoint()).as("the endpoint of %s while %s: none until RUNNING, or the gateway would"
          + " forward to a VM that does not serve yet", id, started.state()).isNull();
    }

    Instance running = session.awaitRunning(provider, id);

    assertEndpoint(running);
    session.awaitAnswer(id + " once RUNNING", running.endpoint());
  }

  @Test
  void describeAgreesWithWhatStartAndReadinessReported() {
    Driven provider = session.open(session.owner("a"));
    Instance started = session.start(provider, startableResource(), groups());
    Instance running = session.awaitRunning(provider, started.id());

    Instance described = session.describe(provider, started.id()).value();

    String id = started.id();
    assertThat(described).as("describe(%s)", id).isNotNull();
    assertThat(described.id()).as("describe disagrees about the id of %s", id).isEqualTo(id);
    assertThat(described.resource()).as("describe disagrees about the resource of %s", id)
        .isEqualTo(startableResource());
    assertThat(described.groups()).as("describe disagrees about the groups of %s", id).isEqualTo(groups());
    assertThat(described.state()).as("describe disagrees about the state of %s, RUNNING by now", id)
        .isEqualTo(InstanceState.RUNNING);
    assertThat(described.endpoint()).as("describe disagrees about the endpoint of %s", id)
        .isEqualTo(running.endpoint());
  }

  @Test
  void theOwnerIsInTheMetadataWhereverTheInstanceIsReported() {
    String owner = session.owner("a");
    Driven provider = session.open(owner);

    Instance started = session.start(provider, startableResource(), groups());
    String id = started.id();
    assertOwner(owner, started, "start's answer");
    assertOwner(owner, session.awaitRunning(provider, id), "the report that it is RUNNING");
    assertOwner(owner, session.describe(provider, id).value(), "describe");
    assertOwner(owner, listed(provider, id), "list");

    session.stop(provider, id).value();
    Instance ended = session.awaitEnded(provider, id);
    if (ended != null) {
      assertOwner(owner, ended, "describe after stop");
    }
    if (provider.offersEvents()) {
      for (Instance event : provider.awaitTerminalEvent(id, session.timeouts().stop())) {
        assertOwner(owner, event, "the " + event.state() + " event");
      }
    }
  }

  @Test
  void listShowsTheProvidersOwnInstancesWithTheirOwnerAndState() {
    String owner = session.owner("a");
    Driven provider = session.open(owner);
    Instance started = session.start(provider, startableResource(), groups());
    String id = started.id();

    Instance booting = listed(provider, id);
    assertThat(booting.resource()).as("the resource of %s as list shows it", id).isEqualTo(startableResource());
    assertThat(booting.state().isTerminal()).as("%s as list shows it right after its start: %s", id, booting.state())
        .isFalse();

    Instance running = session.awaitRunning(provider, id);
    Instance adoptable = listed(provider, id);

    // A restarted gateway adopts from list alone: what it lists must be enough to forward to.
    assertThat(adoptable.state()).as("the state list shows of %s once it is RUNNING", id)
        .isEqualTo(InstanceState.RUNNING);
    assertThat(adoptable.endpoint()).as("the endpoint list shows of %s once it is RUNNING", id)
        .isEqualTo(running.endpoint());
    assertThat(adoptable.groups()).as("the groups list shows of %s", id).isEqualTo(groups());
    assertOwner(owner, adoptable, "list");
  }

  @Test
  void anotherOwnersProviderOnTheSameCloudNeitherAdoptsNorStopsTheInstances() {
    String owner = session.owner("a");
    Driven mine = session.open(owner);
    Instance started = session.start(mine, startableResource(), groups());
    String id = started.id();
    session.awaitRunning(mine, id);

    Driven theirs = session.open(session.owner("b"));
    List<Instance> seen = session.list(theirs);
    for (Instance instance : seen) {
      if (instance != null && id.equals(instance.id())) {
        assertThat(instance.owner()).as("the owner of %s as another owner's provider lists it: it must list it out or"
            + " mark its owner, and never adopt it as its own", id).isEqualTo(owner);
      }
    }
    session.close(theirs);

    Instance after = session.describe(mine, id).value();
    assertThat(after.state()).as("%s after another owner's provider was created and closed: a provider leaves other"
        + " owners' instances alone", id).isEqualTo(InstanceState.RUNNING);
    session.awaitAnswer(id + " after another owner's provider closed", after.endpoint());
  }

  @Test
  void stopIsIdempotentAndTheInstanceEndsStoppedOrForgotten() {
    Driven provider = session.open(session.owner("a"));
    Instance started = session.start(provider, startableResource(), groups());
    String id = started.id();
    session.awaitRunning(provider, id);

    session.stop(provider, id).value();
    Outcome<Void> again = session.stop(provider, id);
    if (!again.succeeded()) {
      throw new AssertionError("stop(" + id + ") a second time, right after the first, " + again + ": stop is"
          + " idempotent (the gateway repeats a stop whose answer it did not get)");
    }
    session.awaitEnded(provider, id);
    Outcome<Void> afterEnd = session.stop(provider, id);
    if (!afterEnd.succeeded()) {
      throw new AssertionError("stop(" + id + ") once it had ended " + afterEnd + ": stop is idempotent");
    }

    for (Instance instance : session.list(provider)) {
      if (instance != null && id.equals(instance.id())) {
        assertThat(instance.state().isTerminal()).as("list still shows %s %s after it ended: a restarted gateway"
            + " would adopt it", id, instance.state()).isTrue();
      }
    }
  }

  @Test
  void stopOfAnUnknownInstanceSucceeds() {
    Driven provider = session.open(session.owner("a"));

    Outcome<Void> stopped = session.stop(provider, unknownInstanceId());

    if (!stopped.succeeded()) {
      throw new AssertionError("stop of the unknown instance " + unknownInstanceId() + " " + stopped + ": stopping a"
          + " VM the cloud does not know succeeds (it is not running; the gateway stops what it lost track of)");
    }
  }

  @Test
  void describeOfAnUnknownInstanceFailsWithInstanceNotFound() {
    Driven provider = session.open(session.owner("a"));

    CloudException failure = session.describe(provider, unknownInstanceId()).cloudFailure();

    assertThat(failure.kind()).as("the kind describe(%s) of an unknown instance fails with: INSTANCE_NOT_FOUND tells"
        + " the gateway to forget it", unknownInstanceId()).isEqualTo(CloudException.Kind.INSTANCE_NOT_FOUND);
  }

  @Test
  void startOfAnUnknownResourceFailsWithUnknownResourceAndStartsNothing() {
    String unknown = unknownResource().orElse(null);
    assumeTrue(unknown != null, "the adapter starts any resource it is asked for (unknownResource() is empty)");
    Driven provider = session.open(session.owner("a"));

    CloudException failure = session.startOutcome(provider, unknown, groups()).cloudFailure();

    assertThat(failure.kind()).as("the kind start(%s) of an unknown resource fails with: UNKNOWN_RESOURCE becomes the"
        + " client's 404", unknown).isEqualTo(CloudException.Kind.UNKNOWN_RESOURCE);
    assertThat(session.list(provider)).as("what list shows after the start of unknown resource %s failed", unknown)
        .noneMatch(i -> i != null && unknown.equals(i.resource()) && !i.state().isTerminal());
  }

  @Test
  void eventsOfAnInstanceArriveInLifecycleOrderAndEndWithItsTerminalState() {
    Driven provider = session.open(session.owner("a"));
    assumeTrue(provider.offersEvents(), "the provider offers no events(): the gateway polls describe instead");

    Instance started = session.start(provider, startableResource(), groups());
    String id = started.id();
    session.awaitRunning(provider, id);
    session.stop(provider, id).value();
    provider.awaitTerminalEvent(id, session.timeouts().stop());
    // One more round trip through the provider: an event it pushed after the terminal one is in by now.
    session.describe(provider, id);

    List<Instance> events = provider.eventsOf(id);
    assertThat(provider.events()).as("events() pushed a null").doesNotContainNull();
    InstanceState furthest = null;
    for (int i = 0; i < events.size(); i++) {
      Instance event = events.get(i);
      assertThat(event.resource()).as("the resource in event %d of %s: %s", i, id, events)
          .isEqualTo(startableResource());
      assertThat(event.groups()).as("the groups in event %d of %s: %s", i, id, events).isEqualTo(groups());
      if (event.state() == InstanceState.RUNNING) {
        assertThat(event.endpoint()).as("the endpoint in the RUNNING event of %s", id).isNotNull();
      }
      if (furthest != null && furthest.isTerminal() && event.state() != furthest) {
        throw new AssertionError("events of " + id + " go on after its terminal " + furthest + " with "
            + event.state() + ": STOPPED or FAILED is the last; its events: " + states(events));
      }
      if (furthest != null && stage(event.state()) < stage(furthest)) {
        throw new AssertionError("events of " + id + " out of lifecycle order: " + event.state() + " after "
            + furthest + " (a gateway would take a RUNNING VM for one still booting); its events: " + states(events));
      }
      if (furthest == null || stage(event.state()) >= stage(furthest)) {
        furthest = event.state();
      }
    }
    assertThat(furthest).as("the last event of %s: its events %s", id, states(events))
        .matches(InstanceState::isTerminal, "STOPPED or FAILED");
  }

  @Test
  void everyFailureIsACloudExceptionEvenAfterClose() {
    Driven provider = session.open(session.owner("a"));

    session.describe(provider, unknownInstanceId()).cloudFailure();
    unknownResource().ifPresent(r -> session.startOutcome(provider, r, groups()).cloudFailure());
    if (provider.spi.canSuspend()) {
      session.suspend(provider, unknownInstanceId()).succeededOrTyped();
      session.resume(provider, unknownInstanceId()).succeededOrTyped();
    } else {
      // The SPI's defaults fail with PERMANENT: an adapter that overrides them must fail as typed.
      session.suspend(provider, unknownInstanceId()).cloudFailure();
      session.resume(provider, unknownInstanceId()).cloudFailure();
    }

    // The gateway closes its providers while calls may still be on their way (a stop at shutdown): such a call
    // answers, succeeding or failing typed, and does not throw or hang.
    session.close(provider);
    session.startOutcome(provider, startableResource(), groups()).succeededOrTyped();
    session.describe(provider, unknownInstanceId()).succeededOrTyped();
    session.stop(provider, unknownInstanceId()).succeededOrTyped();
    session.call("list() by " + provider + " after close", provider.spi::list).succeededOrTyped();
  }

  @Test
  void concurrentStartsGiveDistinctInstancesThatAllRunAndAllStop() {
    int count = concurrentStarts();
    Driven provider = session.open(session.owner("a"));

    List<Instance> started = session.startAll(provider, count, startableResource(), groups());

    assertThat(started).as("the answers of %d starts issued at once", count).doesNotContainNull();
    assertThat(started).extracting(Instance::id).as("the ids of %d starts issued at once: each start is a VM of its"
        + " own", count).doesNotHaveDuplicates().hasSize(count);
    for (Instance instance : started) {
      Instance running = session.awaitRunning(provider, instance.id());
      assertEndpoint(running);
      session.awaitAnswer(instance.id() + ", one of " + count + " started at once", running.endpoint());
    }
    List<Supplier<Future<Void>>> stops = new ArrayList<>();
    started.forEach(instance -> stops.add(() -> provider.spi.stop(instance.id())));
    session.callAll("stop of each of " + count + " instances, at once, by " + provider, stops)
        .forEach(Outcome::value);
    started.forEach(instance -> session.awaitEnded(provider, instance.id()));
  }

  @Test
  void closeLeavesInstancesRunningAndTheNextProviderOfTheSameOwnerListsAndStopsThem() {
    String owner = session.owner("a");
    Driven first = session.open(owner);
    Instance started = session.start(first, startableResource(), groups());
    String id = started.id();
    Instance running = session.awaitRunning(first, id);

    session.close(first);
    Driven next = session.open(owner);
    session.handOver(id, next);

    List<Instance> listed = session.list(next);
    Instance adopted = listed.stream().filter(i -> i != null && id.equals(i.id())).findFirst()
        .orElseThrow(() -> new AssertionError("the next provider of owner " + owner + " does not list " + id
            + " after the first was closed: close does not stop VMs, and a restarted gateway adopts them from list;"
            + " it lists " + listed));
    // An adapter may list an adopted VM as still starting until it has checked it again itself (the gateway
    // adopts BOOTING ones too), but never as stopping or ended: then it reaches RUNNING at the same address.
    assertThat(adopted.state()).as("%s as the next provider of its owner lists it: close does not stop VMs", id)
        .isIn(InstanceState.RUNNING, InstanceState.BOOTING, InstanceState.PENDING);
    assertOwner(owner, adopted, "the next provider's list");
    if (adopted.state() != InstanceState.RUNNING) {
      adopted = session.awaitRunning(next, id);
    }
    assertThat(adopted.endpoint()).as("the endpoint of %s as the next provider reports it", id)
        .isEqualTo(running.endpoint());
    session.awaitAnswer(id + " after its provider was closed", adopted.endpoint());

    session.stop(next, id).value();
    session.awaitEnded(next, id);
  }

  @Test
  void suspendPausesTheInstanceAndResumeBringsItBackAnswering() {
    Driven provider = session.open(session.owner("a"));
    assumeTrue(provider.spi.canSuspend(), "the provider cannot suspend (canSuspend() is false): suspend is optional");
    Instance started = session.start(provider, startableResource(), groups());
    String id = started.id();
    Instance running = session.awaitRunning(provider, id);

    session.suspend(provider, id).value();
    assertThat(session.describe(provider, id).value().state()).as("describe(%s) once suspend answered: suspend answers"
        + " once the VM is paused", id).isEqualTo(InstanceState.SUSPENDED);
    Outcome<Void> again = session.suspend(provider, id);
    if (!again.succeeded()) {
      throw new AssertionError("suspend(" + id + ") of a suspended instance " + again + ": suspending a suspended VM"
          + " succeeds");
    }

    session.resume(provider, id).value();
    Instance resumed = session.describe(provider, id).value();
    assertThat(resumed.state()).as("describe(%s) once resume answered: resume answers once the VM runs again", id)
        .isEqualTo(InstanceState.RUNNING);
    assertThat(resumed.endpoint()).as("the endpoint of %s after resume: the one it had", id)
        .isEqualTo(running.endpoint());
    session.awaitAnswer(id + " after resume", resumed.endpoint());
    Outcome<Void> resumedAgain = session.resume(provider, id);
    if (!resumedAgain.succeeded()) {
      throw new AssertionError("resume(" + id + ") of a running instance " + resumedAgain + ": resuming a running VM"
          + " succeeds");
    }
  }

  // ------------------------------------------------------------------ helpers

  private Instance listed(Driven provider, String id) {
    List<Instance> all = session.list(provider);
    List<Instance> matching = all.stream().filter(i -> i != null && id.equals(i.id())).toList();
    assertThat(matching).as("the entries for %s in list() of %s: it lists every instance it knows, in any state;"
        + " it lists %s", id, provider, all).hasSize(1);
    return matching.get(0);
  }

  private static void assertOwner(String owner, Instance instance, String where) {
    assertThat(instance.owner()).as("the owner (metadata '%s') of %s in %s: every instance carries the owner of the"
        + " provider that started it, or no gateway adopts it", Instance.OWNER, instance.id(), where).isEqualTo(owner);
  }

  private static void assertEndpoint(Instance running) {
    URI endpoint = running.endpoint();
    assertThat(endpoint).as("the endpoint of %s once RUNNING", running.id()).isNotNull();
    assertThat(endpoint.getScheme()).as("the scheme of %s's endpoint %s", running.id(), endpoint)
        .isIn("http", "https");
    assertThat(endpoint.getHost()).as("the host of %s's endpoint %s", running.id(), endpoint).isNotBlank();
  }

  /** How far along its life a state is; RUNNING and SUSPENDED alternate, so they share a stage. */
  private static int stage(InstanceState state) {
    return switch (state) {
      case PENDING -> 0;
      case BOOTING -> 1;
      case RUNNING, SUSPENDED -> 2;
      case STOPPING -> 3;
      case STOPPED, FAILED -> 4;
    };
  }

  private static List<InstanceState> states(List<Instance> events) {
    return events.stream().map(Instance::state).toList();
  }
}
