package dev.smartgateway.cloudmock;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many requests carrying each key have reached the VM app's {@code /reset} and {@code /headers} endpoints,
 * across every VM of one cloud: "reset the first N requests with key K" holds whichever VM a retry lands on. VM servers run on
 * event loops of their own, so the counts are shared safely between threads.
 */
final class ResetKeys {

  private final ConcurrentHashMap<String, AtomicLong> seen = new ConcurrentHashMap<>();

  /** Counts one more request carrying {@code key}; returns how many have now arrived, this one included. */
  long arrive(String key) {
    return seen.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }
}
