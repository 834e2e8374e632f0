package dev.smartgateway.lifecycle;

import java.util.Locale;

/**
 * Where the start of a VM for a caller is, as a person waiting for it is told (the waiting page and its
 * status URL). Coarser than {@link LifecycleState}: it is about the caller's wait, not one instance.
 */
public enum StartPhase {
  /** Nothing is starting, running or remembered as failed for this caller. */
  NONE,
  /** The start call is out: the gateway is asking the cloud (or waiting its turn under the start throttle). */
  STARTING,
  /** The cloud accepted the start: the VM boots. */
  BOOTING,
  /** The VM's port is open; its readiness probe has not passed yet (the application is still warming). */
  WARMING,
  /** A VM this caller may use is serving. */
  READY,
  /** The last start failed (the reason is in the status), or the resource cannot be started now. */
  FAILED;

  /** The name on the wire: {@code starting}, {@code booting}, ... */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Still on its way: a waiting page keeps waiting. */
  public boolean isComingUp() {
    return this == STARTING || this == BOOTING || this == WARMING;
  }
}
