package dev.smartgateway.cloudmock;

import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * The faults the mock injects, changed at run time through {@code PUT /api/faults}.
 *
 * @param bootFailureRate probability that a VM ends its boot FAILED instead of RUNNING
 * @param apiErrorRate    probability that a {@code /api/vms*} call answers 500 without doing anything
 * @param apiLatencyMs    delay before every {@code /api/vms*} answer
 * @param warmupMs        how long a freshly opened VM answers 503 to everything
 * @param stopDelayMs     time a VM spends STOPPING before it is STOPPED
 */
record FaultSettings(double bootFailureRate, double apiErrorRate, long apiLatencyMs, long warmupMs,
                     long stopDelayMs) {

  static final FaultSettings NONE = new FaultSettings(0.0, 0.0, 0, 0, 0);

  private static final Set<String> FIELDS =
      Set.of("bootFailureRate", "apiErrorRate", "apiLatencyMs", "warmupMs", "stopDelayMs");

  FaultSettings {
    requireRate("bootFailureRate", bootFailureRate);
    requireRate("apiErrorRate", apiErrorRate);
    requireDuration("apiLatencyMs", apiLatencyMs);
    requireDuration("warmupMs", warmupMs);
    requireDuration("stopDelayMs", stopDelayMs);
  }

  /**
   * These settings with the fields present in {@code patch} replaced. Unknown fields are refused rather
   * than ignored, so a typo in a test's fault set-up fails loudly instead of silently injecting nothing.
   *
   * @throws IllegalArgumentException naming the offending field
   */
  FaultSettings merge(JsonObject patch) {
    for (String name : patch.fieldNames()) {
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException("unknown field '" + name + "'; known: " + FIELDS);
      }
    }
    return new FaultSettings(
        rate(patch, "bootFailureRate", bootFailureRate),
        rate(patch, "apiErrorRate", apiErrorRate),
        millis(patch, "apiLatencyMs", apiLatencyMs),
        millis(patch, "warmupMs", warmupMs),
        millis(patch, "stopDelayMs", stopDelayMs));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("bootFailureRate", bootFailureRate)
        .put("apiErrorRate", apiErrorRate)
        .put("apiLatencyMs", apiLatencyMs)
        .put("warmupMs", warmupMs)
        .put("stopDelayMs", stopDelayMs);
  }

  private static double rate(JsonObject patch, String name, double current) {
    if (!patch.containsKey(name)) {
      return current;
    }
    if (!(patch.getValue(name) instanceof Number number)) {
      throw new IllegalArgumentException(name + " must be a number between 0 and 1");
    }
    return number.doubleValue();
  }

  private static long millis(JsonObject patch, String name, long current) {
    if (!patch.containsKey(name)) {
      return current;
    }
    Object value = patch.getValue(name);
    if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
      throw new IllegalArgumentException(name + " must be a whole number of milliseconds");
    }
    return number.longValue();
  }

  private static void requireRate(String name, double value) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException(name + " must be between 0 and 1, was " + value);
    }
  }

  private static void requireDuration(String name, long value) {
    // A day is far beyond any useful fault and keeps timer arithmetic clear of overflow.
    if (value < 0 || value > 86_400_000L) {
      throw new IllegalArgumentException(name + " must be between 0 and 86400000 ms, was " + value);
    }
  }
}
