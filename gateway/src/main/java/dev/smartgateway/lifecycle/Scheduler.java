package dev.smartgateway.lifecycle;

/**
 * Time and the control context, as the lifecycle sees them. Every lifecycle decision runs on one control
 * context, reads time here and waits here, so that unit tests can drive time by hand (DESIGN section 6,
 * "Time comes from a clock/scheduler seam") while the gateway runs on a Vert.x context.
 */
public interface Scheduler {

  /** Monotonic time for durations. */
  long nanoTime();

  /** Wall-clock time for timestamps people read (events, the read model). */
  long currentTimeMillis();

  /** Runs {@code task} on the control context after {@code delayMs}; returns an id for {@link #cancel}. */
  long schedule(long delayMs, Runnable task);

  /** Cancels a scheduled task; ids of tasks that ran or were cancelled (and -1) are ignored. */
  void cancel(long id);

  /** Runs {@code task} on the control context, after what is running there now. Safe from any thread. */
  void execute(Runnable task);
}
