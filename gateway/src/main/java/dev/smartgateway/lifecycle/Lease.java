package dev.smartgateway.lifecycle;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The right to send one request to one VM. While a lease is open the VM counts the request as in flight
 * (it will not be stopped for idleness); {@link #release()} ends it and starts the idle clock again. Every
 * method is safe from any thread.
 */
public final class Lease {

  private final Lifecycle owner;
  final ManagedInstance instance;
  private final long waitedMillis;
  private final boolean held;
  /** Released by release pacing: counts against it until the VM answers. */
  final boolean paced;
  final long grantedNanos;
  private final AtomicBoolean released = new AtomicBoolean();
  private final AtomicBoolean answered = new AtomicBoolean();

  Lease(Lifecycle owner, ManagedInstance instance, long waitedMillis, boolean held, boolean paced, long grantedNanos) {
    this.owner = owner;
    this.instance = instance;
    this.waitedMillis = waitedMillis;
    this.held = held;
    this.paced = paced;
    this.grantedNanos = grantedNanos;
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
   * the requests queued behind them. Idempotent.
   */
  public void answered() {
    if (paced && answered.compareAndSet(false, true)) {
      owner.answered(this);
    }
  }

  boolean isAnswered() {
    return answered.get();
  }

  /** Ends the lease; idempotent. A request that reached the VM proves it accepts connections. */
  public void release() {
    if (released.compareAndSet(false, true)) {
      answered();
      owner.released(this, true);
    }
  }

  /**
   * Ends the lease and reports that the VM could not be reached at all (refused, or the connect timed out).
   * The VM takes no new request from now on, on any thread, until the lifecycle has checked it: the retry of
   * this very request goes to another instance or a fresh one, never back to this one unchecked.
   */
  public void releaseUnreachable() {
    if (released.compareAndSet(false, true)) {
      instance.suspect(true);
      answered();
      owner.released(this, false);
    }
  }
}
