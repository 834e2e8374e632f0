package dev.smartgateway.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link StoreWriter} takes from its queue in one go: events, task saves and usage saves in the order they
 * were enqueued, and the {@link Flush} markers among them. Written as three store calls (events first), each
 * all-or-nothing; when one fails, the kinds already written are not written again: {@link #unwritten()} is only
 * what still has to go, in its order. Several saves of one task (or one usage interval) collapse to the last.
 */
final class WriteBatch {

  /** A {@code flush()} waiting for everything enqueued before it. */
  record Flush(Promise<Void> promise) {
  }

  private final List<Object> entries;
  private final List<Promise<Void>> flushes = new ArrayList<>();
  private final int data;
  private boolean eventsDone;
  private boolean tasksDone;
  private boolean usageDone;

  private WriteBatch(List<Object> entries) {
    this.entries = entries;
    int count = 0;
    for (Object entry : entries) {
      if (entry instanceof Flush flush) {
        flushes.add(flush.promise());
      } else {
        count++;
      }
    }
    this.data = count;
  }

  /** Takes entries from the head of the queue until {@code max} writes are taken or it is empty; null if empty. */
  static WriteBatch take(Deque<Object> queue, int max) {
    List<Object> taken = new ArrayList<>();
    int count = 0;
    Object entry;
    while (count < max && (entry = queue.pollFirst()) != null) {
      taken.add(entry);
      if (!(entry instanceof Flush)) {
        count++;
      }
    }
    return taken.isEmpty() ? null : new WriteBatch(taken);
  }

  /** Writes (entries, not flush markers) in this batch. */
  int size() {
    return data;
  }

  List<Promise<Void>> flushes() {
    return flushes;
  }

  Future<Void> writeTo(Store store) {
    List<HistoryEvent> events = new ArrayList<>();
    Map<String, TaskRecord> tasks = new LinkedHashMap<>();
    Map<String, UsageInterval> usage = new LinkedHashMap<>();
    for (Object entry : entries) {
      if (entry instanceof HistoryEvent e && !eventsDone) {
        events.add(e);
      } else if (entry instanceof TaskRecord t && !tasksDone) {
        tasks.remove(t.id());
        tasks.put(t.id(), t);
      } else if (entry instanceof UsageInterval u && !usageDone) {
        usage.remove(u.ref());
        usage.put(u.ref(), u);
      }
    }
    return (events.isEmpty() ? Future.<Void>succeededFuture() : store.appendEvents(events))
        .compose(v -> {
          eventsDone = true;
          return tasks.isEmpty() ? Future.succeededFuture() : store.saveTasks(List.copyOf(tasks.values()));
        })
        .compose(v -> {
          tasksDone = true;
          return usage.isEmpty() ? Future.succeededFuture() : store.saveUsage(List.copyOf(usage.values()));
        })
        .map(v -> {
          usageDone = true;
          return null;
        });
  }

  /** The writes of the kinds not written yet, in their order (no flush markers). */
  List<Object> unwritten() {
    List<Object> left = new ArrayList<>();
    for (Object entry : entries) {
      boolean pending = entry instanceof HistoryEvent ? !eventsDone
          : entry instanceof TaskRecord ? !tasksDone
          : entry instanceof UsageInterval && !usageDone;
      if (pending) {
        left.add(entry);
      }
    }
    return left;
  }
}
