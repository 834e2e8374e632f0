package dev.smartgateway.store;

import java.util.List;

/**
 * One entry of the event history: a lifecycle event or a task's transition.
 *
 * @param id         the store's sequence number (0 before it is stored)
 * @param at         epoch ms
 * @param category   {@code lifecycle} or {@code task}
 * @param type       the lifecycle event type (STARTING, READY, ...) or the task's new state (running, succeeded, ...)
 * @param resource   the resource
 * @param groups     the group set, sorted
 * @param instanceId the cloud's id, null if not known yet
 * @param ref        the gateway's own name of the instance (stable from its first event on)
 * @param taskId     the task, for task entries (null otherwise)
 * @param from       the state before (null for the first)
 * @param to         the state after
 * @param reason     why, in words for operators
 * @param gateway    the gateway id that recorded it
 * @param detail     more, as a JSON object's text (phases of a start, a task's kind ...); null if nothing
 */
public record HistoryEvent(long id, long at, String category, String type, String resource, List<String> groups,
                           String instanceId, String ref, String taskId, String from, String to, String reason,
                           String gateway, String detail) {

  public static final String LIFECYCLE = "lifecycle";
  public static final String TASK = "task";

  public HistoryEvent {
    groups = List.copyOf(groups == null ? List.of() : groups);
  }

  public HistoryEvent withId(long newId) {
    return new HistoryEvent(newId, at, category, type, resource, groups, instanceId, ref, taskId, from, to, reason,
        gateway, detail);
  }
}
