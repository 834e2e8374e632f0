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
 */
public record LifecycleEvent(Type type, String resource, List<String> groups, String instanceId, String ref,
                             LifecycleState from, LifecycleState to, String reason, long at, Phases phases) {

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
