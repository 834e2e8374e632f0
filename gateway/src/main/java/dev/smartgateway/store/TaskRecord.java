package dev.smartgateway.store;

import java.util.List;

/**
 * A start or a stop of one instance, automatic or by hand (DESIGN section 9, "tasks").
 *
 * @param id         unique across restarts and gateways
 * @param kind       {@code start}, {@code stop}, {@code suspend} or {@code resume}
 * @param origin     who asked: {@code auto} (a request, idleness, a failure) or {@code admin} (by hand)
 * @param resource   the resource
 * @param groups     the group set, sorted
 * @param instanceId the cloud's id once known
 * @param ref        the gateway's own name of the instance
 * @param state      its state now
 * @param createdAt  epoch ms
 * @param updatedAt  epoch ms of the last change
 * @param steps      what happened, in order, each with its time
 * @param result     what it achieved when it succeeded (e.g. "ready at 127.0.0.1:40001"), else null
 * @param error      why it failed or was cancelled, else null
 * @param gateway    the gateway id that ran it
 */
public record TaskRecord(String id, String kind, String origin, String resource, List<String> groups,
                         String instanceId, String ref, TaskState state, long createdAt, long updatedAt,
                         List<Step> steps, String result, String error, String gateway) {

  public static final String START = "start";
  public static final String STOP = "stop";
  /** An idle VM paused instead of stopped ({@code idlePolicy: suspend}): the drain that began as a stop. */
  public static final String SUSPEND = "suspend";
  /** A suspended VM resumed, until its probe passed. */
  public static final String RESUME = "resume";

  public TaskRecord {
    groups = List.copyOf(groups == null ? List.of() : groups);
    steps = List.copyOf(steps == null ? List.of() : steps);
  }

  /**
   * One step of a task: {@code name} (e.g. "cloud call", "boot", "probe", "drain", "stop call") reached
   * {@code at} (epoch ms), with optional words.
   */
  public record Step(String name, long at, String detail) {
  }
}
