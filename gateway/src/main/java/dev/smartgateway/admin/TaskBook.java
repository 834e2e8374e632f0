package dev.smartgateway.admin;

import dev.smartgateway.lifecycle.LifecycleEvent;
import dev.smartgateway.observe.EventHistory;
import dev.smartgateway.observe.HistoryEvents;
import dev.smartgateway.store.StoreWrites;
import dev.smartgateway.store.TaskRecord;
import dev.smartgateway.store.TaskRecord.Step;
import dev.smartgateway.store.TaskState;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Every start and stop as a task (DESIGN section 9), automatic or by hand, read off the lifecycle events:
 * a start runs from STARTING to READY (succeeded), FAILED (failed) or a stop before it was ready
 * (cancelled); a stop from DRAINING or STOPPING to STOPPED, or is cancelled when a request revives the
 * instance, or becomes a suspend when the drain ends in a pause; a resume runs from RESUMED to READY. Each transition is written to the store and recorded in the history. Events arrive on the
 * control context; reads come from anywhere (the maps are concurrent, the records immutable).
 */
public final class TaskBook implements Consumer<LifecycleEvent> {

  private static final int RECENT_KEPT = 2_000;

  private final String gateway;
  private final StoreWrites writes;
  private final EventHistory history;
  private final Map<String, TaskRecord> openStarts = new ConcurrentHashMap<>();
  private final Map<String, TaskRecord> openStops = new ConcurrentHashMap<>();
  /** Stops (by ref) and resumes (by ref + ".resume") so far, numbering their task ids. */
  private final Map<String, Integer> counts = new HashMap<>();
  private final Map<String, TaskRecord> recent = new LinkedHashMap<>(256, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, TaskRecord> eldest) {
      return size() > RECENT_KEPT;
    }
  };

  public TaskBook(String gateway, StoreWrites writes, EventHistory history) {
    this.gateway = gateway;
    this.writes = writes;
    this.history = history;
  }

  @Override
  public void accept(LifecycleEvent e) {
    switch (e.type()) {
      case STARTING -> {
        TaskRecord task = new TaskRecord(e.ref() + ".start", TaskRecord.START, origin(e), e.resource(),
            sorted(e), e.instanceId(), e.ref(), TaskState.RUNNING, e.at(), e.at(),
            List.of(new Step("requested", e.at(), e.reason())), null, null, gateway);
        openStarts.put(e.ref(), task);
        saved(task, null, e.reason());
      }
      case WARMING -> openStarts.computeIfPresent(e.ref(), (ref, task) -> {
        List<Step> steps = new ArrayList<>(task.steps());
        long cloudCall = e.phases().cloudCallMs();
        if (cloudCall >= 0) {
          steps.add(new Step("cloud call", task.createdAt() + cloudCall, "the cloud accepted the start in " + cloudCall + " ms"));
        }
        steps.add(new Step("boot", e.at(), e.reason()));
        return saved(with(task, TaskState.RUNNING, e, steps, null, null), TaskState.RUNNING, null);
      });
      case READY -> finishStart(e, TaskState.SUCCEEDED, "probe", "ready: " + e.reason(), null);
      case FAILED -> {
        finishStart(e, TaskState.FAILED, "failed", null, e.reason());
        if (e.instanceId() != null) {
          openStop(e, "stop after failure");
        }
      }
      case DRAINING -> openStop(e, "drain");
      case SUSPENDED -> {
        finishStart(e, TaskState.SUCCEEDED, "suspended", "adopted while suspended", null);
        TaskRecord drain = openStops.remove(e.ref());
        if (drain != null) {
          // The drain began as a stop; it ended in a pause: the task says what happened.
          TaskRecord suspend = new TaskRecord(drain.id(), TaskRecord.SUSPEND, drain.origin(), drain.resource(),
              drain.groups(), drain.instanceId(), drain.ref(), drain.state(), drain.createdAt(), drain.updatedAt(),
              drain.steps(), null, null, drain.gateway());
          finish(suspend, e, TaskState.SUCCEEDED, "suspended", "paused: the next request resumes it", null);
        }
      }
      case RESUMED -> {
        int n = counts.merge(e.ref() + ".resume", 1, Integer::sum);
        TaskRecord task = new TaskRecord(e.ref() + ".resume" + (n == 1 ? "" : Integer.toString(n)), TaskRecord.RESUME,
            origin(e), e.resource(), sorted(e), e.instanceId(), e.ref(), TaskState.RUNNING, e.at(), e.at(),
            List.of(new Step("resume call", e.at(), e.reason())), null, null, gateway);
        openStarts.put(e.ref(), task); // ends like a start: READY, FAILED or a stop first
        saved(task, null, e.reason());
      }
      case REVIVED -> {
        TaskRecord stop = openStops.remove(e.ref());
        if (stop != null) {
          finish(stop, e, TaskState.CANCELLED, "revived", null, "a request arrived while draining: the VM serves on");
        }
      }
      case STOPPING -> {
        finishStart(e, TaskState.CANCELLED, "cancelled", null, e.reason());
        TaskRecord stop = openStops.get(e.ref());
        if (stop == null) {
          openStop(e, "stop call");
        } else {
          openStops.put(e.ref(), saved(with(stop, TaskState.RUNNING, e, plus(stop, "stop call", e), null, null),
              TaskState.RUNNING, null));
        }
      }
      case STOPPED -> {
        TaskRecord stop = openStops.remove(e.ref());
        if (stop != null) {
          finish(stop, e, TaskState.SUCCEEDED, "stopped", "the cloud confirmed the stop", null);
        }
        counts.remove(e.ref());
        counts.remove(e.ref() + ".resume");
      }
    }
  }

  /** The task with this id if this gateway still holds it in memory (open, or among the latest), else null. */
  public TaskRecord get(String id) {
    synchronized (recent) {
      return recent.get(id);
    }
  }

  /** The running start task of an instance, or null. */
  public TaskRecord openStart(String ref) {
    return openStarts.get(ref);
  }

  /** The running stop task of an instance, or null. */
  public TaskRecord openStop(String ref) {
    return openStops.get(ref);
  }

  /** The newest task of this kind for an instance among those held in memory, or null. */
  public TaskRecord latest(String ref, String kind) {
    TaskRecord open = kind.equals(TaskRecord.START) || kind.equals(TaskRecord.RESUME) ? openStarts.get(ref) : openStops.get(ref);
    if (open != null && open.kind().equals(kind)) {
      return open;
    }
    synchronized (recent) {
      TaskRecord newest = null;
      for (TaskRecord t : recent.values()) {
        if (t.ref().equals(ref) && t.kind().equals(kind)) {
          newest = t;
        }
      }
      return newest;
    }
  }

  public Collection<TaskRecord> open() {
    List<TaskRecord> all = new ArrayList<>(openStarts.values());
    all.addAll(openStops.values());
    return all;
  }

  private void openStop(LifecycleEvent e, String step) {
    int n = counts.merge(e.ref(), 1, Integer::sum);
    TaskRecord task = new TaskRecord(e.ref() + ".stop" + (n == 1 ? "" : Integer.toString(n)), TaskRecord.STOP,
        origin(e), e.resource(), sorted(e), e.instanceId(), e.ref(), TaskState.RUNNING, e.at(), e.at(),
        List.of(new Step(step, e.at(), e.reason())), null, null, gateway);
    openStops.put(e.ref(), task);
    saved(task, null, e.reason());
  }

  private void finishStart(LifecycleEvent e, TaskState state, String step, String result, String error) {
    TaskRecord start = openStarts.remove(e.ref());
    if (start != null) {
      finish(start, e, state, step, result, error);
    }
  }

  private void finish(TaskRecord task, LifecycleEvent e, TaskState state, String step, String result, String error) {
    saved(with(task, state, e, plus(task, step, e), result, error), task.state(), error != null ? error : result);
  }

  private TaskRecord saved(TaskRecord task, TaskState from, String reason) {
    synchronized (recent) {
      recent.put(task.id(), task);
    }
    writes.task(task);
    if (from != task.state()) {
      history.record(HistoryEvents.of(task, from, reason));
    }
    return task;
  }

  private static List<Step> plus(TaskRecord task, String step, LifecycleEvent e) {
    List<Step> steps = new ArrayList<>(task.steps());
    steps.add(new Step(step, e.at(), e.reason()));
    return steps;
  }

  private static TaskRecord with(TaskRecord t, TaskState state, LifecycleEvent e, List<Step> steps, String result,
                                 String error) {
    return new TaskRecord(t.id(), t.kind(), t.origin(), t.resource(), t.groups(),
        e.instanceId() != null ? e.instanceId() : t.instanceId(), t.ref(), state, t.createdAt(), e.at(), steps, result,
        error, t.gateway());
  }

  private static List<String> sorted(LifecycleEvent e) {
    return e.groups().stream().sorted().toList();
  }

  /** Who asked: an operator (the admin API: pre-warm, stop, cancel, unregister) or the gateway itself. */
  static String origin(LifecycleEvent e) {
    return e.cause() == LifecycleEvent.Cause.BY_HAND || e.cause() == LifecycleEvent.Cause.UNREGISTERED ? "admin" : "auto";
  }
}
