package dev.smartgateway.cloud;

/**
 * The provider's view of a VM. The gateway's own lifecycle (STARTING, WARMING, READY, ...) is layered on top.
 * {@link #SUSPENDED}: paused with its memory kept, only from providers that {@link CloudProvider#canSuspend()}.
 */
public enum InstanceState {
  PENDING, BOOTING, RUNNING, SUSPENDED, STOPPING, STOPPED, FAILED;

  /** A VM in a terminal state will never serve again; the gateway forgets it. */
  public boolean isTerminal() {
    return this == STOPPED || this == FAILED;
  }

  /** Still on its way up: worth waiting for. */
  public boolean isStarting() {
    return this == PENDING || this == BOOTING;
  }
}
