package dev.smartgateway.lifecycle;

import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;

/** The {@link Scheduler} of a running gateway: Vert.x timers and a context of the lifecycle's own. */
final class VertxScheduler implements Scheduler {

  private final ContextInternal control;

  VertxScheduler(Context control) {
    this.control = (ContextInternal) control;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public long currentTimeMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public long schedule(long delayMs, Runnable task) {
    // Bound to the control context whichever thread asks (vertx.setTimer would bind to the caller's).
    return control.setTimer(Math.max(1, delayMs), id -> task.run());
  }

  @Override
  public void cancel(long id) {
    if (id >= 0) {
      control.owner().cancelTimer(id);
    }
  }

  @Override
  public void execute(Runnable task) {
    control.runOnContext(v -> task.run());
  }
}
