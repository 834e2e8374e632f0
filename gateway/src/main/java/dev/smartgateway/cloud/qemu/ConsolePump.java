package dev.smartgateway.cloud.qemu;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Drains every VM's console file into the log a few times a second, on a worker thread (one ordered blocking task at
 * a time, so two drains of a file never overlap). Add, finish and close on the provider's context.
 */
final class ConsolePump {

  private static final long PERIOD_MS = 250;

  private final Vertx vertx;
  private final Context context;
  private final Set<ConsoleLog> consoles = new LinkedHashSet<>();
  private final long timer;
  private boolean draining;

  ConsolePump(Vertx vertx, Context context) {
    this.vertx = vertx;
    this.context = context;
    this.timer = vertx.setPeriodic(PERIOD_MS, id -> drainAll());
  }

  void add(ConsoleLog console) {
    consoles.add(console);
  }

  /** Logs what is left of a console and stops following it. */
  Future<Void> finish(ConsoleLog console) {
    consoles.remove(console);
    return context.executeBlocking(() -> {
      console.finish();
      return null;
    }, true);
  }

  /** A last drain of every file; the files stay (their VMs may run on). */
  Future<Void> close() {
    vertx.cancelTimer(timer);
    List<ConsoleLog> left = new ArrayList<>(consoles);
    consoles.clear();
    return context.executeBlocking(() -> {
      left.forEach(ConsoleLog::drain);
      return null;
    }, true);
  }

  private void drainAll() {
    if (draining || consoles.isEmpty()) {
      return; // a slow disk must not pile up drains
    }
    draining = true;
    List<ConsoleLog> snapshot = new ArrayList<>(consoles);
    context.executeBlocking(() -> {
      snapshot.forEach(ConsoleLog::drain);
      return null;
    }, true).onComplete(ar -> draining = false);
  }
}
