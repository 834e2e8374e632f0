package dev.smartgateway.lifecycle;

/**
 * The gateway's view of one VM (DESIGN section 6):
 * STARTING → WARMING → READY → DRAINING → STOPPING → STOPPED, or FAILED from any live state; with
 * {@code idlePolicy: suspend}, DRAINING → SUSPENDED → WARMING (resumed by the next request) → READY.
 */
public enum LifecycleState {
  /** The start call is in flight or the cloud reports the VM booting. */
  STARTING,
  /** The cloud says RUNNING; the readiness probe has not passed yet. */
  WARMING,
  /** Serving requests. */
  READY,
  /** Chosen for stopping; in-flight requests finish, a new request revives it. */
  DRAINING,
  /**
   * Idle and paused by the cloud (or the pause is on its way): no request reaches it; the next one that needs it
   * resumes it (back to WARMING, then READY once the probe passes).
   */
  SUSPENDED,
  /** The stop was sent; no request may reach it any more. */
  STOPPING,
  /** Gone. */
  STOPPED,
  /** Failed to boot, timed out, crashed or stopped answering; never used again. */
  FAILED;

  /** Held requests may wait for an instance in this state. */
  boolean isComingUp() {
    return this == STARTING || this == WARMING;
  }

  boolean isServing() {
    return this == READY || this == DRAINING;
  }

  boolean isDead() {
    return this == STOPPING || this == STOPPED || this == FAILED;
  }
}
