package dev.smartgateway.cloud.local;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Drains every followed output file (a child's output, a VM's console) into the log a few times a second, on a worker
 * thread: one ordered blocking task at a time, so two drains of a file never overlap, and a slow disk never piles them
 * up. Add, finish and close on the provider's context.
 */
public final class OutputPump {

  /** One instance's output, as the adapter logs it. Blocking: the pump calls these on a worker. */
  public interface Followed {
    /** Logs every complete line written since the last drain. */
    void drain();

    /** The last drain, including an unterminated last line: the instance has ended. */
    void finish();
  }

  private final Vertx vertx;
  private final Context context;
  private final Set<Followed> outputs = new LinkedHashSet<>();
  private final long timer;
  private boolean draining;

  /** @param periodMs how often every file is drained */
  public OutputPump(Vertx vertx, Context context, long periodMs) {
    this.vertx = vertx;
    this.context = context;
    this.timer = vertx.setPeriodic(periodMs, id -> drainAll());
  }

  public void add(Followed output) {
    outputs.add(output);
  }

  /** Logs what is left of an instance's output and stops following it. */
  public Future<Void> finish(Followed output) {
    outputs.remove(output);
    return context.executeBlocking(() -> {
      output.finish();
      return null;
    }, true);
  }

  /** A final drain of every file; the files stay where they are (their instances may run on). */
  public Future<Void> close() {
    vertx.cancelTimer(timer);
    List<Followed> last = new ArrayList<>(outputs);
    outputs.clear();
    return context.executeBlocking(() -> {
      last.forEach(Followed::drain);
      return null;
    }, true);
  }

  private void drainAll() {
    if (draining || outputs.isEmpty()) {
      return; // a slow disk must not pile up drains
    }
    draining = true;
    List<Followed> snapshot = new ArrayList<>(outputs);
    context.executeBlocking(() -> {
      snapshot.forEach(Followed::drain);
      return null;
    }, true).onComplete(ar -> draining = false);
  }
}
