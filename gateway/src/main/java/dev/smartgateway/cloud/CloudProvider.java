package dev.smartgateway.cloud;

import io.vertx.core.Future;
import io.vertx.core.streams.ReadStream;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A cloud the gateway starts and stops VMs in. Every method is asynchronous and must not block the
 * event loop; failures are {@link CloudException}s. Calls are idempotent from the gateway's side: it
 * re-derives truth with {@link #describe} and {@link #list} rather than trusting its own memory.
 *
 * <p>Ownership: a provider created with a {@link ProviderContext} stamps its owner on every instance it starts
 * and reports it under {@link Instance#OWNER} (see
 * {@link CloudProviderFactory#create(io.vertx.core.Vertx, io.vertx.core.json.JsonObject, ProviderContext)}).
 * Several gateways may share one cloud: each adopts and stops only its own instances.
 */
public interface CloudProvider {

  /**
   * Asks for a new VM serving {@code resource} for {@code groups}; answers once the cloud accepted it (BOOTING or
   * RUNNING). The VM carries the provider's owner, if it has one.
   */
  Future<Instance> start(String resource, Set<String> groups);

  /** The VM's current state; fails with {@link CloudException.Kind#INSTANCE_NOT_FOUND} if the cloud forgot it. */
  Future<Instance> describe(String instanceId);

  /** Asks the cloud to stop the VM. Stopping an already stopped or unknown VM succeeds. */
  Future<Void> stop(String instanceId);

  /**
   * Every VM the cloud knows of (any state): used at start-up to adopt VMs a previous gateway with the same
   * owner started. Other owners' VMs may be listed (they are left alone) or left out.
   */
  Future<List<Instance>> list();

  /**
   * State changes pushed by the cloud, if it can push them. With a stream the gateway learns of readiness
   * at once; without one it polls {@link #describe} with backoff.
   */
  default Optional<ReadStream<Instance>> events() {
    return Optional.empty();
  }

  /**
   * True if this provider can pause a VM and resume it ({@link #suspend}, {@link #resume}): a resource with
   * {@code idlePolicy: suspend} is then paused when idle instead of stopped. Must not change over the provider's
   * life.
   */
  default boolean canSuspend() {
    return false;
  }

  /**
   * Pauses a RUNNING VM, keeping its memory, so that {@link #resume} brings it back in far less time than a boot;
   * answers once it is paused, when {@link #describe} reports {@link InstanceState#SUSPENDED}. Suspending a
   * suspended VM succeeds. Providers that cannot pause leave the default, which fails with
   * {@link CloudException.Kind#PERMANENT}.
   */
  default Future<Void> suspend(String instanceId) {
    return Future.failedFuture(new CloudException(CloudException.Kind.PERMANENT,
        getClass().getSimpleName() + " cannot suspend " + instanceId));
  }

  /**
   * Resumes a SUSPENDED VM; answers once the VM runs again ({@link InstanceState#RUNNING}, same endpoint).
   * Resuming a running VM succeeds. The gateway probes the endpoint before it sends a request.
   */
  default Future<Void> resume(String instanceId) {
    return Future.failedFuture(new CloudException(CloudException.Kind.PERMANENT,
        getClass().getSimpleName() + " cannot resume " + instanceId));
  }

  /** Releases connections, timers and streams. Does not stop VMs. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
