package dev.smartgateway.lifecycle;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The right to send one request to one VM. While a lease is open the VM counts the request as in flight
 * (it will not be stopped for idleness); {@link #release()} ends it and starts the idle clock again.
 */
public final class Lease {

  private final LifecycleManager owner;
  private final ManagedInstance instance;
  private final long waitedMillis;
  private final boolean held;
  private final AtomicBoolean released = new AtomicBoolean();

  Lease(LifecycleManager owner, ManagedInstance instance, long waitedMillis, boolean held) {
    this.owner = owner;
    this.instance = instance;
    this.waitedMillis = waitedMillis;
    this.held = held;
  }

  public String host() {
    return instance.host;
  }

  public int port() {
    return instance.port;
  }

  public String instanceId() {
    return instance.instanceId();
  }

  /** How long the request was held before this lease (0 on the warm path). */
  public long waitedMillis() {
    return waitedMillis;
  }

  /** True if the request was held for a VM (a cold request). */
  public boolean wasHeld() {
    return held;
  }

  /**
   * The VM sent this request's response head (or its 101): it has answered. Release pacing counts a request
   * released to a fresh VM only until then, so long-lived exchanges (WebSockets, long polls) do not hold back
   * the requests queued behind them. Idempotent; safe from any thread.
   */
  public void answered() {
    owner.answered(instance);
  }

  /** Ends the lease; idempotent. */
  public void release() {
    if (released.compareAndSet(false, true)) {
      owner.released(instance);
    }
  }

  /**
   * Ends the lease and reports that the VM could not be reached at all: the lifecycle checks the VM at once
   * instead of waiting for the next liveness ping.
   */
  public void releaseUnreachable() {
    if (released.compareAndSet(false, true)) {
      owner.unreachable(instance);
    }
  }
}
