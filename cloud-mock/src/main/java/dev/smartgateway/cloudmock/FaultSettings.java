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
 * @param startFaultCalls   0: every start meets the start faults ({@code startError}, {@code startLatencyMs});
 *                          N: only the next N starts do, then those faults switch off
 * @param describeFaultCalls the same for describes ({@code describeError}, {@code describeLatencyMs})
 * @param stopFaultCalls    the same for stops ({@code stopError}, {@code stopLatencyMs})
 * @param listFaultCalls    the same for lists ({@code listError}, {@code listLatencyMs})
 * @param holdBoots         a VM whose boot delay is over stays BOOTING until this is switched off again
 */
record FaultSettings(double bootFailureRate, double apiErrorRate, long apiLatencyMs, long warmupMs,
                     long stopDelayMs, StartError startError, boolean stopError, boolean describeError,
                     boolean listError, long startLatencyMs, long describeLatencyMs, long stopLatencyMs,
                     long listLatencyMs, long startFaultCalls, long describeFaultCalls, long stopFaultCalls,
                     long listFaultCalls, boolean holdBoots) {

  static final FaultSettings NONE =
      new FaultSettings(0.0, 0.0, 0, 0, 0, StartError.NONE, false, false, false, 0, 0, 0, 0, 0, 0, 0, 0, false);

  /** More counted calls than any test makes; keeps the counts clear of overflow. */
  private static final long MAX_FAULT_CALLS = 1_000_000_000L;

  private static final Set<String> FIELDS = new LinkedHashSet<>(List.of(
      "bootFailureRate", "apiErrorRate", "apiLatencyMs", "warmupMs", "stopDelayMs",
      "startError", "stopError", "describeError", "listError",
      "startLatencyMs", "describeLatencyMs", "stopLatencyMs", "listLatencyMs",
      "startFaultCalls", "describeFaultCalls", "stopFaultCalls", "listFaultCalls", "holdBoots"));

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
    requireCount("startFaultCalls", startFaultCalls);
    requireCount("describeFaultCalls", describeFaultCalls);
    requireCount("stopFaultCalls", stopFaultCalls);
    requireCount("listFaultCalls", listFaultCalls);
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
        millis(patch, "listLatencyMs", listLatencyMs),
        count(patch, "startFaultCalls", startFaultCalls),
        count(patch, "describeFaultCalls", describeFaultCalls),
        count(patch, "stopFaultCalls", stopFaultCalls),
        count(patch, "listFaultCalls", listFaultCalls),
        flag(patch, "holdBoots", holdBoots));
  }

  /** How many more calls of this kind meet its faults before they switch off; 0: every call, no count. */
  long faultCalls(CallKind kind) {
    return switch (kind) {
      case START -> startFaultCalls;
      case DESCRIBE -> describeFaultCalls;
      case STOP -> stopFaultCalls;
      case LIST -> listFaultCalls;
    };
  }

  /**
   * These settings after one counted call of this kind: its count one lower, and once it reaches 0 the
   * kind's own faults (its error or start refusal, its latency) switched off. The API-wide faults stay.
   */
  FaultSettings countedCall(CallKind kind) {
    long left = faultCalls(kind) - 1;
    boolean off = left <= 0;
    return new FaultSettings(bootFailureRate, apiErrorRate, apiLatencyMs, warmupMs, stopDelayMs,
        kind == CallKind.START && off ? StartError.NONE : startError,
        !(kind == CallKind.STOP && off) && stopError,
        !(kind == CallKind.DESCRIBE && off) && describeError,
        !(kind == CallKind.LIST && off) && listError,
        kind == CallKind.START && off ? 0 : startLatencyMs,
        kind == CallKind.DESCRIBE && off ? 0 : describeLatencyMs,
        kind == CallKind.STOP && off ? 0 : stopLatencyMs,
        kind == CallKind.LIST && off ? 0 : listLatencyMs,
        kind == CallKind.START ? Math.max(0, left) : startFaultCalls,
        kind == CallKind.DESCRIBE ? Math.max(0, left) : describeFaultCalls,
        kind == CallKind.STOP ? Math.max(0, left) : stopFaultCalls,
        kind == CallKind.LIST ? Math.max(0, left) : listFaultCalls,
        holdBoots);
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
        .put("listLatencyMs", listLatencyMs)
        .put("startFaultCalls", startFaultCalls)
        .put("describeFaultCalls", describeFaultCalls)
        .put("stopFaultCalls", stopFaultCalls)
        .put("listFaultCalls", listFaultCalls)
        .put("holdBoots", holdBoots);
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

  private static long count(JsonObject patch, String name, long current) {
    if (!patch.containsKey(name)) {
      return current;
    }
    Object value = patch.getValue(name);
    if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
      throw new IllegalArgumentException(name + " must be a whole number of calls");
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

  private static void requireCount(String name, long value) {
    if (value < 0 || value > MAX_FAULT_CALLS) {
      throw new IllegalArgumentException(name + " must be between 0 and " + MAX_FAULT_CALLS + ", was " + value);
    }
  }

  private static void requireDuration(String name, long value) {
    // A day is far beyond any useful fault and keeps timer arithmetic clear of overflow.
    if (value < 0 || value > 86_400_000L) {
      throw new IllegalArgumentException(name + " must be between 0 and 86400000 ms, was " + value);
    }
  }
}
