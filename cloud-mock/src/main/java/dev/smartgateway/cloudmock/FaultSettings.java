package dev.smartgateway.cloudmock;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The faults the mock injects, changed at run time through {@code PUT /api/faults}.
 *
 * @param bootFailureRate   probability that a VM ends its boot FAILED instead of RUNNING
 * @param apiErrorRate      probability that a {@code /api/vms*} call answers 500 without doing anything
 * @param apiLatencyMs      delay before every {@code /api/vms*} answer
 * @param warmupMs          how long a freshly opened VM answers 503 to everything
 * @param stopDelayMs       time a VM spends STOPPING before it is STOPPED
 * @param startError        how every well-formed start is refused, if at all
 * @param stopError         every stop answers 500 and stops nothing
 * @param describeError     every describe answers 500
 * @param listError         every list answers 500
 * @param startLatencyMs    extra delay before a start's answer, on top of {@code apiLatencyMs}
 * @param describeLatencyMs extra delay before a describe's answer
 * @param stopLatencyMs     extra delay before a stop's answer
 * @param listLatencyMs     extra delay before a list's answer
 */
record FaultSettings(double bootFailureRate, double apiErrorRate, long apiLatencyMs, long warmupMs,
                     long stopDelayMs, StartError startError, boolean stopError, boolean describeError,
                     boolean listError, long startLatencyMs, long describeLatencyMs, long stopLatencyMs,
                     long listLatencyMs) {

  static final FaultSettings NONE =
      new FaultSettings(0.0, 0.0, 0, 0, 0, StartError.NONE, false, false, false, 0, 0, 0, 0);

  private static final Set<String> FIELDS = new LinkedHashSet<>(List.of(
      "bootFailureRate", "apiErrorRate", "apiLatencyMs", "warmupMs", "stopDelayMs",
      "startError", "stopError", "describeError", "listError",
      "startLatencyMs", "describeLatencyMs", "stopLatencyMs", "listLatencyMs"));

  FaultSettings {
    requireRate("bootFailureRate", bootFailureRate);
    requireRate("apiErrorRate", apiErrorRate);
    requireDuration("apiLatencyMs", apiLatencyMs);
    requireDuration("warmupMs", warmupMs);
    requireDuration("stopDelayMs", stopDelayMs);
    if (startError == null) {
      throw new IllegalArgumentException("startError is required");
    }
    requireDuration("startLatencyMs", startLatencyMs);
    requireDuration("describeLatencyMs", describeLatencyMs);
    requireDuration("stopLatencyMs", stopLatencyMs);
    requireDuration("listLatencyMs", listLatencyMs);
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
        millis(patch, "stopDelayMs", stopDelayMs),
        patch.containsKey("startError") ? StartError.parse(patch.getValue("startError")) : startError,
        flag(patch, "stopError", stopError),
        flag(patch, "describeError", describeError),
        flag(patch, "listError", listError),
        millis(patch, "startLatencyMs", startLatencyMs),
        millis(patch, "describeLatencyMs", describeLatencyMs),
        millis(patch, "stopLatencyMs", stopLatencyMs),
        millis(patch, "listLatencyMs", listLatencyMs));
  }

  /** The extra delay of one kind of call, on top of {@link #apiLatencyMs()}. */
  long latencyMs(CallKind kind) {
    return switch (kind) {
      case START -> startLatencyMs;
      case DESCRIBE -> describeLatencyMs;
      case STOP -> stopLatencyMs;
      case LIST -> listLatencyMs;
    };
  }

  /**
   * Whether every call of this kind answers 500. Starts are not refused here: {@link #startError()} is
   * answered once the start's body is known to be well formed.
   */
  boolean fails(CallKind kind) {
    return switch (kind) {
      case START -> false;
      case DESCRIBE -> describeError;
      case STOP -> stopError;
      case LIST -> listError;
    };
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("bootFailureRate", bootFailureRate)
        .put("apiErrorRate", apiErrorRate)
        .put("apiLatencyMs", apiLatencyMs)
        .put("warmupMs", warmupMs)
        .put("stopDelayMs", stopDelayMs)
        .put("startError", startError.json())
        .put("stopError", stopError)
        .put("describeError", describeError)
        .put("listError", listError)
        .put("startLatencyMs", startLatencyMs)
        .put("describeLatencyMs", describeLatencyMs)
        .put("stopLatencyMs", stopLatencyMs)
        .put("listLatencyMs", listLatencyMs);
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

  private static boolean flag(JsonObject patch, String name, boolean current) {
    if (!patch.containsKey(name)) {
      return current;
    }
    if (!(patch.getValue(name) instanceof Boolean value)) {
      throw new IllegalArgumentException(name + " must be true or false, was " + patch.getValue(name));
    }
    return value;
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
