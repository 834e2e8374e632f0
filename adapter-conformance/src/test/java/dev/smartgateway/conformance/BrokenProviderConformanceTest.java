package dev.smartgateway.conformance;

import dev.smartgateway.conformance.BrokenProviders.AdoptsOtherOwnersInstances;
import dev.smartgateway.conformance.BrokenProviders.BootingAgainAfterRunning;
import dev.smartgateway.conformance.BrokenProviders.CloseStopsEveryInstanceOnTheCloud;
import dev.smartgateway.conformance.BrokenProviders.CloseStopsItsInstances;
import dev.smartgateway.conformance.BrokenProviders.ConcurrentStartsShareOneInstance;
import dev.smartgateway.conformance.BrokenProviders.DescribeForgetsTheGroups;
import dev.smartgateway.conformance.BrokenProviders.DescribeOfUnknownHangs;
import dev.smartgateway.conformance.BrokenProviders.DescribeOfUnknownIsPermanent;
import dev.smartgateway.conformance.BrokenProviders.DescribeOfUnknownIsUntyped;
import dev.smartgateway.conformance.BrokenProviders.EndpointThatDoesNotAnswer;
import dev.smartgateway.conformance.BrokenProviders.EventsWithoutOwner;
import dev.smartgateway.conformance.BrokenProviders.ListShowsOnlyRunning;
import dev.smartgateway.conformance.BrokenProviders.NeverRunning;
import dev.smartgateway.conformance.BrokenProviders.ResumeThatDoesNotResume;
import dev.smartgateway.conformance.BrokenProviders.RunningAgainAfterStopped;
import dev.smartgateway.conformance.BrokenProviders.StopOfUnknownFails;
import dev.smartgateway.conformance.BrokenProviders.StopTwiceFails;
import dev.smartgateway.conformance.BrokenProviders.SuspendThatDoesNotSuspend;
import dev.smartgateway.conformance.BrokenProviders.ThrowsAfterClose;
import dev.smartgateway.conformance.BrokenProviders.UnknownResourceIsPermanent;
import dev.smartgateway.conformance.BrokenProviders.UntypedFailuresAfterClose;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * No contract test that cannot fail: each one is run against a provider broken in the way it is there to catch
 * ({@link BrokenProviders}), through the JUnit Platform as an author's build runs it, and must fail, with an
 * assertion that says why, and leave nothing running. {@link ReferenceConformanceTest} is the control: the same
 * provider unbroken passes them all.
 */
class BrokenProviderConformanceTest {

  static Stream<Arguments> breakages() {
    return Stream.of(
        breakage(NeverRunning.class,
            "startAnswersBootingOrRunningAndTheInstanceBecomesRunningWithAnEndpointThatAnswersHttp",
            "did not become RUNNING"),
        breakage(EndpointThatDoesNotAnswer.class,
            "startAnswersBootingOrRunningAndTheInstanceBecomesRunningWithAnEndpointThatAnswersHttp",
            "to answer HTTP"),
        breakage(DescribeForgetsTheGroups.class, "describeAgreesWithWhatStartAndReadinessReported",
            "describe disagrees about the groups"),
        breakage(EventsWithoutOwner.class, "theOwnerIsInTheMetadataWhereverTheInstanceIsReported",
            "the owner (metadata 'owner')"),
        breakage(ListShowsOnlyRunning.class, "listShowsTheProvidersOwnInstancesWithTheirOwnerAndState",
            "it lists every instance it knows, in any state"),
        breakage(AdoptsOtherOwnersInstances.class,
            "anotherOwnersProviderOnTheSameCloudNeitherAdoptsNorStopsTheInstances", "never adopt it as its own"),
        breakage(CloseStopsEveryInstanceOnTheCloud.class,
            "anotherOwnersProviderOnTheSameCloudNeitherAdoptsNorStopsTheInstances",
            "leaves other owners' instances alone"),
        breakage(StopTwiceFails.class, "stopIsIdempotentAndTheInstanceEndsStoppedOrForgotten", "stop is idempotent"),
        breakage(StopOfUnknownFails.class, "stopOfAnUnknownInstanceSucceeds",
            "stopping a VM the cloud does not know succeeds"),
        breakage(DescribeOfUnknownIsPermanent.class, "describeOfAnUnknownInstanceFailsWithInstanceNotFound",
            "INSTANCE_NOT_FOUND tells the gateway to forget it"),
        breakage(DescribeOfUnknownIsUntyped.class, "describeOfAnUnknownInstanceFailsWithInstanceNotFound",
            "not a CloudException"),
        breakage(DescribeOfUnknownHangs.class, "describeOfAnUnknownInstanceFailsWithInstanceNotFound",
            "did not answer within"),
        breakage(UnknownResourceIsPermanent.class, "startOfAnUnknownResourceFailsWithUnknownResourceAndStartsNothing",
            "UNKNOWN_RESOURCE becomes the client's 404"),
        breakage(BootingAgainAfterRunning.class, "eventsOfAnInstanceArriveInLifecycleOrderAndEndWithItsTerminalState",
            "out of lifecycle order: BOOTING after RUNNING"),
        breakage(RunningAgainAfterStopped.class, "eventsOfAnInstanceArriveInLifecycleOrderAndEndWithItsTerminalState",
            "go on after its terminal STOPPED"),
        breakage(UntypedFailuresAfterClose.class, "everyFailureIsACloudExceptionEvenAfterClose",
            "not a CloudException"),
        breakage(ThrowsAfterClose.class, "everyFailureIsACloudExceptionEvenAfterClose",
            "instead of answering a failed future"),
        breakage(ConcurrentStartsShareOneInstance.class, "concurrentStartsGiveDistinctInstancesThatAllRunAndAllStop",
            "each start is a VM of its own"),
        breakage(CloseStopsItsInstances.class,
            "closeLeavesInstancesRunningAndTheNextProviderOfTheSameOwnerListsAndStopsThem", "close does not stop VMs"),
        breakage(SuspendThatDoesNotSuspend.class, "suspendPausesTheInstanceAndResumeBringsItBackAnswering",
            "suspend answers once the VM is paused"),
        breakage(ResumeThatDoesNotResume.class, "suspendPausesTheInstanceAndResumeBringsItBackAnswering",
            "after resume: its endpoint"));
  }

  private static Arguments breakage(Class<? extends LoopbackContract> broken, String contractTest, String because) {
    return Arguments.of(Named.of(broken.getSimpleName(), broken), contractTest, because);
  }

  @ParameterizedTest(name = "{0} fails {1}")
  @MethodSource("breakages")
  void theContractTestAimedAtTheBreakageFailsAndSaysWhy(Class<? extends LoopbackContract> broken, String contractTest,
                                                       String because) {
    LoopbackContract.CLOUDS.clear();

    List<Finished> finished = run(broken, contractTest);

    assertThat(finished).as("tests run").hasSize(1);
    Finished result = finished.get(0);
    assertThat(result.result().getStatus()).as("%s against %s: %s", contractTest, broken.getSimpleName(), result)
        .isEqualTo(TestExecutionResult.Status.FAILED);
    Throwable failure = result.result().getThrowable().orElseThrow();
    assertThat(failure).as("why it failed").isInstanceOf(AssertionError.class);
    assertThat(failure.getMessage()).as("why it failed").contains(because);
    assertThat(LoopbackContract.CLOUDS).as("the clouds of the run").isNotEmpty()
        .allSatisfy(cloud -> assertThat(cloud.live()).as("VMs left running by the failed test").isEmpty());
  }

  @Test
  void everyContractTestIsProvenAbleToFail() {
    Set<String> aimedAt = breakages().map(a -> (String) a.get()[1]).collect(Collectors.toSet());
    List<String> contractTests = Arrays.stream(CloudProviderContract.class.getDeclaredMethods())
        .filter(m -> m.isAnnotationPresent(Test.class))
        .map(Method::getName)
        .toList();

    assertThat(contractTests).as("the contract's tests").hasSizeGreaterThanOrEqualTo(14);
    assertThat(aimedAt).as("contract tests with a breakage that must fail them")
        .containsExactlyInAnyOrderElementsOf(contractTests);
  }

  @Test
  void theBrokenProvidersDoNotRunAsTestsOfTheirOwn() {
    LoopbackContract.CLOUDS.clear();
    List<Finished> finished = new ArrayList<>();
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(StopTwiceFails.class))
        .build();
    LauncherFactory.create().execute(request, recorder(finished));

    assertThat(finished).as("tests of a broken provider run without the self-test's key").isEmpty();
    assertThat(LoopbackContract.CLOUDS).as("clouds started").isEmpty();
  }

  @Test
  void everyBrokenProviderIsRun() {
    List<Object> run = breakages().map(a -> (Object) ((Named<?>) a.get()[0]).getPayload()).toList();
    List<Object> broken = Arrays.stream(BrokenProviders.class.getDeclaredClasses())
        .filter(c -> LoopbackContract.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers()))
        .map(c -> (Object) c)
        .toList();

    assertThat(run).as("the broken providers that are run").containsAll(broken);
  }

  /** Runs one test method of a test class through the JUnit Platform, as a build does; answers what finished. */
  private static List<Finished> run(Class<?> testClass, String method) {
    List<Finished> finished = new ArrayList<>();
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectMethod(testClass, method))
        .configurationParameter(OnlyInSelfTest.KEY, "true")
        .build();
    LauncherFactory.create().execute(request, recorder(finished));
    return finished;
  }

  private static TestExecutionListener recorder(List<Finished> finished) {
    return new TestExecutionListener() {
      @Override
      public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (test.isTest()) {
          finished.add(new Finished(test.getDisplayName(), result));
        }
      }

      @Override
      public void executionSkipped(TestIdentifier test, String reason) {
        if (test.isTest()) {
          finished.add(new Finished(test.getDisplayName(), TestExecutionResult.aborted(new AssertionError(reason))));
        }
      }
    };
  }

  private record Finished(String test, TestExecutionResult result) {
    @Override
    public String toString() {
      return test + " " + result.getStatus() + result.getThrowable().map(t -> ": " + t).orElse("");
    }
  }
}
