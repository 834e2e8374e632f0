package dev.smartgateway.conformance;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link LoopbackCloud}'s provider, broken one way each: {@link BrokenProviderConformanceTest} runs the contract
 * against each and proves that the contract test aimed at the breakage fails, and why.
 */
final class BrokenProviders {

  private BrokenProviders() {
  }

  /** Runs only when launched by {@link BrokenProviderConformanceTest}. */
  @ExtendWith(OnlyInSelfTest.class)
  abstract static class Broken extends LoopbackContract {
  }

  /** For breakages caught by a wait running out: waiting less makes them fail sooner. */
  abstract static class BrokenUntilDeadline extends Broken {
    @Override
    protected ContractTimeouts timeouts() {
      return super.timeouts().withReady(Duration.ofSeconds(3));
    }
  }

  /** Never says RUNNING: describe, list and events keep saying BOOTING. */
  static final class NeverRunning extends BrokenUntilDeadline {
    @Override
    CloudProvider wrap(CloudProvider provider, String owner) {
      return new ForwardingProvider(provider, owner) {
        @Override
        protected Instance report(Instance i, Where where) {
          return i.state() == InstanceState.RUNNING ? withState(i, InstanceState.BOOTING, null) : i;
        }
      };
    }
  }

  /** Reports RUNNING with an endpoint where nothing listens. */
  static final class EndpointThatDoesNotAnswer extends BrokenUntilDeadline {
    @Override
    CloudProvider wrap(CloudProvider provider, String owner) {
      URI nowhere = URI.create("http://127.0.0.1:" + closedPort());
      return new ForwardingProvider(provider, owner) {
        @Override
        protected Instance report(Instance i, Where where) {
          return i.endpoint() == null ? i : withEndpoint(i, nowhere);
        }
      };
    }
  }

  /** describe loses the groups the instance was started for. */
  static final class DescribeForgetsTheGroups extends Broken {
    @Override
    CloudProvider wrap(CloudProvider provider, String owner) {
      return new ForwardingProvider(provider, owner) {
        @Override
        protected Instance report(Instance i, Where where) {
          return where == Where.DESCRIBE ? withGroups(i, Set.of()) : i;
        }
      };
    }
  }

  /** Events carry no owner. */
  static final class EventsWithoutOwner extends Broken {
    @Override
    CloudProvider wrap(CloudProvider provider, String owner) {
      return new ForwardingProvider(provider, owner) {
        @Override
        protected Instance report(Instance i, Where where) {
          return where == Where.EVENTS ? withOwner(i, null) : i;
        }
      };
    }
  }

  /** list shows only RUNNING instances, not every instance it knows. */
  static final class ListShowsOnlyRunning extends Broken {
    @Override
    CloudProvider wrap(CloudProvider provider, String owner) {
      return new ForwardingProvider(provider, owner) {
        @Override
        public Future<List<Instance>> list() {
          return super.list().map(all -> all.stream().filter(i -> i.state() == InstanceState.RUNNING).toList());
        }
      };
    }
  }

  /** list claims every instance on the cloud for its own owner: a gateway would adopt (and stop) others' VMs. */
  static final class AdoptsOtherOwnersInstances extends Broken {
    @Override
    CloudProvider wrap(CloudProvider provider, String owner) {
      return new ForwardingProvider(provider, owner) {
        @Override
        protected Instance report(Instance i, Where where) {
          return where == Where.LIST ? withOwner(i, owner) : i;
        }
      };
    }
  }

  /** close stops every instance on the cloud, whoever owns it. */
  static final class CloseStopsEveryInstanceOnTheCloud extends Broken {
    @Override
    CloudProvider wrap(CloudProvider provider, String owner) {
      return new ForwardingProvider(provider, owner) {
        @Override
        public Future<Void> close() {
          return delegate.list()
              .compose(all -> Future.join(all.stream().map(i -> delegate.stop(i.id())).toList()))
              .compose(stopped -> delegate.close());
        }
      };
    }
  }

  /** close stops the instances of its own owner, which the next gateway should have adopted. */
  static final class CloseStopsItsInstances extends Broken {
    @Override
    CloudProvider wrap(CloudProvider provider, String owner) {
      return new ForwardingProvider(provider, owner) {
        @Override
        public Future<Void> close() {
          return delegate.list()
              .compose(all -> Future.join(all.stream().filter(i -> owner.equals(i.owner()))
                  .map(i -> delegate.stop(i.id())).toList()))
              .compose(stopped -> delegate.close());
        }
      };
    }
  }

  /** A second stop of the same instance fails. */
  static final class StopTwiceFails extends Broken {
    @Override
    CloudProvider wrap(CloudProvider provider, String owner) {
      return new ForwardingProvider(provider, owner) {
        private final Set<String> stopped = new HashSet<>();

        @Override
        public Future<Void> stop(String instanceId) {
          if (!stopped.add(instanceId)) {
            return Future.failedFuture(new CloudException(CloudException.Kind.PERMANENT, instanceId + " is stopping"));
          }
          return delegate.stop(instanceId);
        }
      };
    }
  }

  /** Stopping an instance the cloud does not know fails with INSTANCE_NOT_FOUND. */
  static final class StopOfUnknownFails extends Broken {
    @Override
    CloudProvider wrap(CloudProvider provider, String owner) {
      return new ForwardingProvider(provider, owner) {
        @Override
        public Future<Void> stop(String instanceId) {
          return delegate.describe(instanceId).compose(known -> delegate.stop(instanceId));
        }
      };
    }
  }

  /** describe of an unknown id fails with the wrong kind. */
  static final class DescribeOfUnknownIsPermanent extends Broken {
    @Override
    CloudProvider wrap(CloudProvider provider, String owner) {
      return new ForwardingProvider(provider, owner) {
        @Override
        public Future<Instance> describe(String instanceId) {
          return super.describe(instanceId).recover(e -> Future.failedFuture(
              new CloudException(CloudException.Kind.PERMANENT, "cannot describe " + instanceId, e)));
        }
      };
    }
  }

  /** describe of an unknown id fails with an untyped exception. */
  static final class DescribeOfUnknownIsUntyped extends Broken {
    @Override
    CloudProvider wrap(CloudProvider provider, String owner) {
      return new ForwardingProvider(provider, owner) {
        @Override
        public Future<Instance> describe(String instanceId) {
          return super.describe(instanceId).recover(e -> Future.failedFuture(new NoSuchElementException(instanceId)));
        }
      };
    }
  }

  /** describe of an unknown id never answers. */
  static final class DescribeOfUnknownHangs extends Broken {
    @Override
    protected ContractTimeouts timeouts() {
      return super.timeouts().withCall(Duration.ofSeconds(3));
    }

    @Override
    CloudProvider wrap(CloudProvider provider, String owner) {
      return new ForwardingProvider(provider, owner) {
        @Override
        public Future<Instance> describe(String instanceId) {
          Promise<Instance> never = Promise.promise();
          super.describe(instanceId).onSuccess(never::complete);
          return never.future();
        }
      };
    }
  }

  /** The start of an unknown resource fails with the wrong kind. */
  static final class UnknownResourceIsPermanent extends Broken {
    @Override
    CloudProvider wrap(CloudProvider provider, String owner) {
      return new ForwardingProvider(provider, owner) {
        @Override
        public Future<Instance> start(String resource, Set<String> groups) {
          return super.start(resource, groups).recover(e -> Future.failedFuture(
              new CloudException(CloudException.Kind.PERMANENT, "cannot start " + resource, e)));
        }
      };
    }
  }

  /** After RUNNING, events say BOOTING again. */
  static final class BootingAgainAfterRunning extends Broken {
    @Override
    CloudProvider wrap(CloudProvider provider, String owner) {
      return new ForwardingProvider(provider, owner) {
        @Override
        protected List<Instance> event(Instance i) {
          return i.state() == InstanceState.RUNNING
              ? List.of(i, withState(i, InstanceState.BOOTING, null)) : List.of(i);
        }
      };
    }
  }

  /** After STOPPED, events say RUNNING again. */
  static final class RunningAgainAfterStopped extends Broken {
    @Override
    CloudProvider wrap(CloudProvider provider, String owner) {
      return new ForwardingProvider(provider, owner) {
        @Override
        protected List<Instance> event(Instance i) {
          return i.state() == InstanceState.STOPPED
              ? List.of(i, withState(i, InstanceState.RUNNING, URI.create("http://127.0.0.1:1"))) : List.of(i);
        }
      };
    }
  }

  /** Once closed, every call fails with an untyped exception. */
  static final class UntypedFailuresAfterClose extends Broken {
    @Override
    CloudProvider wrap(CloudProvider provider, String owner) {
      return new ClosedFailing(provider, owner, false);
    }
  }

  /** Once closed, every call throws instead of answering a failed future. */
  static final class ThrowsAfterClose extends Broken {
    @Override
    CloudProvider wrap(CloudProvider provider, String owner) {
      return new ClosedFailing(provider, owner, true);
    }
  }

  private static final class ClosedFailing extends ForwardingProvider {
    private final boolean throwing;
    private volatile boolean closed;

    ClosedFailing(CloudProvider delegate, String owner, boolean throwing) {
      super(delegate, owner);
      this.throwing = throwing;
    }

    private <T> Future<T> afterClose() {
      IllegalStateException closedError = new IllegalStateException("the provider is closed");
      if (throwing) {
        throw closedError;
      }
      return Future.failedFuture(closedError);
    }

    @Override
    public Future<Instance> start(String resource, Set<String> groups) {
      return closed ? afterClose() : super.start(resource, groups);
    }

    @Override
    public Future<Instance> describe(String instanceId) {
      return closed ? afterClose() : super.describe(instanceId);
    }

    @Override
    public Future<Void> stop(String instanceId) {
      return closed ? afterClose() : super.stop(instanceId);
    }

    @Override
    public Future<List<Instance>> list() {
      return closed ? afterClose() : super.list();
    }

    @Override
    public Future<Void> close() {
      closed = true;
      return super.close();
    }
  }

  /** Starts asked for while one is on its way get that one's instance. */
  static final class ConcurrentStartsShareOneInstance extends Broken {
    @Override
    CloudProvider wrap(CloudProvider provider, String owner) {
      return new ForwardingProvider(provider, owner) {
        private Future<Instance> inFlight;

        @Override
        public Future<Instance> start(String resource, Set<String> groups) {
          if (inFlight == null) {
            inFlight = super.start(resource, groups).onComplete(ar -> inFlight = null);
          }
          return inFlight;
        }
      };
    }
  }

  /** suspend answers without pausing anything. */
  static final class SuspendThatDoesNotSuspend extends Broken {
    @Override
    CloudProvider wrap(CloudProvider provider, String owner) {
      return new ForwardingProvider(provider, owner) {
        @Override
        public Future<Void> suspend(String instanceId) {
          return Future.succeededFuture();
        }
      };
    }
  }

  /** resume answers, and describe says RUNNING, but the VM stays paused: its endpoint answers nothing. */
  static final class ResumeThatDoesNotResume extends BrokenUntilDeadline {
    @Override
    CloudProvider wrap(CloudProvider provider, String owner) {
      return new ForwardingProvider(provider, owner) {
        /** Read where describe answers (the cloud's context), written where resume is called. */
        private final Set<String> resumed = ConcurrentHashMap.newKeySet();

        @Override
        public Future<Void> resume(String instanceId) {
          resumed.add(instanceId);
          return Future.succeededFuture();
        }

        @Override
        protected Instance report(Instance i, Where where) {
          return i.state() == InstanceState.SUSPENDED && resumed.contains(i.id())
              ? withState(i, InstanceState.RUNNING, i.endpoint()) : i;
        }
      };
    }
  }

  /** A loopback port nothing listens on (bound, then closed). */
  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
