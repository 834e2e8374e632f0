package dev.smartgateway.lifecycle;

/**
 * A token bucket over start calls (the {@code limits.startsPerSecond} key): a burst of up to a second's
 * worth goes out at once, more wait their turn, and a start that would wait longer than
 * {@link #MAX_WAIT_NANOS} is refused. Whatever clients do, the cloud sees a bounded rate of starts, and
 * names sprayed at the gateway cannot turn into a flood of cloud calls. Control context only.
 */
final class StartThrottle {

  static final long MAX_WAIT_NANOS = 5_000_000_000L;

  private final long intervalNanos;
  /** How far ahead of its steady rate the bucket may run: a second's worth of starts, less one. */
  private final long toleranceNanos;
  /** When the next start would be due at the steady rate (the generic cell rate algorithm's TAT). */
  private long next;

  /** @param perSecond starts per second; 0 for no limit */
  StartThrottle(int perSecond, long nowNanos) {
    this.intervalNanos = perSecond == 0 ? 0 : 1_000_000_000L / perSecond;
    this.toleranceNanos = 1_000_000_000L - intervalNanos;
    this.next = nowNanos;
  }

  /**
   * Takes a slot: the delay in ms before that start may go (0 at once), or -1 if it would have to wait
   * too long (nothing is taken then).
   */
  long reserve(long nowNanos) {
    if (intervalNanos == 0) {
      return 0;
    }
    long due = Math.max(next, nowNanos);
    long waitNanos = Math.max(0, due - toleranceNanos - nowNanos);
    if (waitNanos > MAX_WAIT_NANOS) {
      return -1;
    }
    next = due + intervalNanos;
    return waitNanos == 0 ? 0 : Math.max(1, (waitNanos + 999_999) / 1_000_000);
  }
}
