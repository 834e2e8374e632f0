package dev.smartgateway.lifecycle;

import java.util.ArrayDeque;
import java.util.PriorityQueue;

/**
 * Time by hand: nothing happens until the test says so. {@link #execute} queues (as a hop to the control
 * context would); {@link #settle} runs what is queued; {@link #advance} moves the clock, running every timer
 * that comes due in order, each followed by what it queued. Single-threaded, like the control context.
 */
final class FakeScheduler implements Scheduler {

  private record Timer(long id, long dueNanos, Runnable task) {
  }

  private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> a.dueNanos != b.dueNanos
      ? Long.compare(a.dueNanos, b.dueNanos) : Long.compare(a.id, b.id));
  private final ArrayDeque<Runnable> queued = new ArrayDeque<>();
  private long nowNanos = 1_000_000_000L;
  private long nextId;

  @Override
  public long nanoTime() {
    return nowNanos;
  }

  @Override
  public long currentTimeMillis() {
    return 1_700_000_000_000L + nowNanos / 1_000_000;
  }

  @Override
  public long schedule(long delayMs, Runnable task) {
    long id = nextId++;
    timers.add(new Timer(id, nowNanos + Math.max(1, delayMs) * 1_000_000, task));
    return id;
  }

  @Override
  public void cancel(long id) {
    timers.removeIf(t -> t.id == id);
  }

  @Override
  public void execute(Runnable task) {
    queued.add(task);
  }

  /** Runs queued tasks (and what they queue) until none is left. */
  void settle() {
    Runnable task;
    while ((task = queued.poll()) != null) {
      task.run();
    }
  }

  /** Moves time forward by {@code ms}, firing due timers in order. */
  void advance(long ms) {
    settle();
    long until = nowNanos + ms * 1_000_000;
    Timer next;
    while ((next = timers.peek()) != null && next.dueNanos <= until) {
      timers.poll();
      nowNanos = next.dueNanos;
      next.task.run();
      settle();
    }
    nowNanos = until;
  }

  /** Timers still pending. */
  int pendingTimers() {
    return timers.size();
  }
}
