package dev.smartgateway.cloud.process;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Drains every child's output file into the log a few times a second, on a worker thread (one ordered
 * blocking task at a time, so two drains of a file never overlap). Add, remove and close on the provider's
 * context.
 */
final class OutputPump {

  private static final long PERIOD_MS = 200;

  private final Vertx vertx;
  private final Context context;
  private final Set<ChildOutput> outputs = new LinkedHashSet<>();
  private final long timer;
  private boolean draining;

  OutputPump(Vertx vertx, Context context) {
    this.vertx = vertx;
    this.context = context;
    this.timer = vertx.setPeriodic(PERIOD_MS, id -> drainAll());
  }

  void add(ChildOutput output) {
    outputs.add(output);
  }

  /** Logs what is left of a child's output and stops following it. */
  Future<Void> finish(ChildOutput output) {
    outputs.remove(output);
    return context.executeBlocking(() -> {
      output.finish();
      return null;
    }, true);
  }

  /** A final drain of every file; the files stay where they are (their children may still run). */
  Future<Void> close() {
    vertx.cancelTimer(timer);
    List<ChildOutput> last = new ArrayList<>(outputs);
    outputs.clear();
    return context.executeBlocking(() -> {
      last.forEach(ChildOutput::drain);
      return null;
    }, true);
  }

  private void drainAll() {
    if (draining || outputs.isEmpty()) {
      return; // a slow disk must not pile up drains
    }
    draining = true;
    List<ChildOutput> snapshot = new ArrayList<>(outputs);
    context.executeBlocking(() -> {
      snapshot.forEach(ChildOutput::drain);
      return null;
    }, true).onComplete(ar -> draining = false);
  }
}
