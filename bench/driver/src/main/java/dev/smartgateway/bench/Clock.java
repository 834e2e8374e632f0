package dev.smartgateway.bench;

/**
 * Wall-clock milliseconds with sub-millisecond resolution: pinned once to {@link System#currentTimeMillis()}
 * (comparable with the mock's {@code readyAt}, same machine clock) and advanced by {@link System#nanoTime()}.
 */
final class Clock {
  private final long epochMs = System.currentTimeMillis();
  private final long nanos = System.nanoTime();

  double nowMs() {
    return epochMs + (System.nanoTime() - nanos) / 1e6;
  }
}
