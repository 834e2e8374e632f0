package dev.smartgateway.cloudmock;

import java.util.Random;

/**
 * The mock's randomness. Each kind of draw has its own generator, all derived from one seed: injecting
 * boot failures or API errors then never shifts the boot-delay sequence, so a seeded run repeats its
 * boot delays exactly (in creation order) whatever faults are set. Not thread-safe: the registry and the
 * API draw on the cloud's single context.
 */
final class Dice {

  private final long minMs;
  private final long maxMs;
  private final Random bootDelays;
  private final Random bootFailures;
  private final Random apiErrors;

  Dice(long seed, long minMs, long maxMs) {
    this.minMs = minMs;
    this.maxMs = maxMs;
    this.bootDelays = new Random(seed);
    // Distinct odd multipliers keep the derived streams unrelated to the delay stream and to each other.
    this.bootFailures = new Random(seed * 0x9E3779B97F4A7C15L + 1);
    this.apiErrors = new Random(seed * 0xC2B2AE3D27D4EB4FL + 2);
  }

  /** Uniform in [min, max], both inclusive. */
  long nextBootMs() {
    return minMs == maxMs ? minMs : bootDelays.nextLong(minMs, maxMs + 1);
  }

  /** Always consumes one draw so the failure sequence does not depend on the rate in force. */
  boolean nextBootFails(double rate) {
    return bootFailures.nextDouble() < rate;
  }

  boolean nextApiError(double rate) {
    return apiErrors.nextDouble() < rate;
  }
}
