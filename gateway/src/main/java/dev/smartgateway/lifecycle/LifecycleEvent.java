package dev.smartgateway.lifecycle;

import java.util.List;

/**
 * One change in the life of an instance (DESIGN section 6, "Events"). Every transition goes through one
 * funnel and is published as one of these, in order, on the lifecycle's control context; logs, metrics,
 * history, the console and the cluster learn what happened from here, never by being called from the data
 * path.
 *
 * @param type       what happened
 * @param resource   the instance's resource
 * @param groups     the groups it was started for
 * @param instanceId the cloud's id; null before the start call answered (a start that failed outright)
 * @param ref        the gateway's own name of the instance, the same in all its events from the first on
 * @param from       the state before; null for the first event of an instance
 * @param to         the state after
 * @param reason     why, in words for operators (e.g. "idle for 10m", "the VM refused connections")
 * @param at         epoch ms of the change
 * @param phases     how long the start took so far, phase by phase
 * @param cause      why, as one of a few categories a program can switch on (metrics labels, dashboards); the
 *                   words for people are in {@code reason}
 */
public record LifecycleEvent(Type type, String resource, List<String> groups, String instanceId, String ref,
                             LifecycleState from, LifecycleState to, String reason, long at, Phases phases,
                             Cause cause) {

  /**
   * Why an event happened, bounded (unlike {@code reason}, which names durations, addresses and operators'
   * words). Which causes each type can have is listed with each constant.
   */
  public enum Cause {
    /** STARTING: a held request or a browser needs a VM; REVIVED: a request arrived while draining. */
    REQUEST,
    /** STARTING: pre-warmed by an operator; DRAINING, STOPPING: stopped (or a start cancelled) by an operator. */
    BY_HAND,
    /** STARTING: found running (or booting) in the cloud at start-up. */
    ADOPTED,
    /** WARMING: the cloud reports the VM running; STOPPED: the cloud confirmed the stop. */
    CLOUD,
    /** READY: the readiness probe passed. */
    PROBE,
    /** DRAINING, STOPPING: idle for idleTimeout. */
    IDLE,
    /**
     * STARTING: the load of a pool stayed above targetConcurrency; DRAINING, STOPPING: it fit in one VM fewer for
     * scaleDownDelay.
     */
    LOAD,
    /** STARTING: kept running by minInstances or a keepWarm window (at start-up, after a failure, as a window opens). */
    FLOOR,
    /** DRAINING, STOPPING: the resource was unregistered (a start still running is cancelled). */
    UNREGISTERED,
    /** FAILED: not ready within startTimeout. */
    START_TIMEOUT,
    /** FAILED while starting: the start call failed, or the cloud reported the VM failed or lost. */
    START_FAILED,
    /** FAILED while serving: crashed, stopped answering its pings, refused connections. */
    VM_FAILED;

    /** The cause as a label value: lower case, {@code _} between words ({@code by_hand}). */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public enum Type {
    /** A start was asked of the cloud (or a running VM adopted). */
    STARTING,
    /** The cloud says RUNNING; the readiness probe runs. */
    WARMING,
    /** The probe passed: requests are sent to it. */
    READY,
    /** Idle: in-flight requests finish, new ones revive it. */
    DRAINING,
    /** A request arrived while draining: back to READY. */
    REVIVED,
    /** Idle with {@code idlePolicy: suspend}: drained and paused instead of stopped. */
    SUSPENDED,
    /** A request (or an operator) needs a suspended VM: the resume was asked of the cloud; the probe follows. */
    RESUMED,
    /** The stop was asked of the cloud; no request reaches it any more. */
    STOPPING,
    /** The cloud confirmed the stop. */
    STOPPED,
    /** Failed to start, timed out, crashed or stopped answering. */
    FAILED
  }

  /**
   * Durations of a start, in ms; -1 for a phase not reached (or not seen, for an adopted VM).
   *
   * @param cloudCallMs    the start call, from asking to the cloud's answer
   * @param bootMs         from the cloud's answer until it reported the VM RUNNING
   * @param probeMs        from RUNNING (port open) until the readiness probe passed
   */
  public record Phases(long cloudCallMs, long bootMs, long probeMs) {
    public static final Phases NONE = new Phases(-1, -1, -1);
  }
}
