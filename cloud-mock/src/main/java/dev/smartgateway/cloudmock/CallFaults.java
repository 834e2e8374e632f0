package dev.smartgateway.cloudmock;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every call to the cloud API proper ({@code /api/vms*}) goes through before it is served: it is
 * counted, delayed ({@code apiLatencyMs} plus its kind's latency, on a timer) and possibly failed with a
 * 500 ({@code apiErrorRate}, then its kind's error). Calls of no {@link CallKind} (crash, unknown paths and
 * methods) get only the API-wide faults. While a kind's {@code <kind>FaultCalls} count is set, each call of
 * that kind counts it down and meets the faults in force when it arrived; the last counted call switches the
 * kind's faults off. Used on the cloud's context only.
 */
final class CallFaults {

  /** Routing-context key of the faults a counted call met on arrival (read by the start handler). */
  static final String ARRIVAL_FAULTS = "mock.arrivalFaults";
  private static final Logger LOG = LoggerFactory.getLogger(CallFaults.class);

  private final Vertx vertx;
  private final AtomicReference<FaultSettings> faults;
  private final Dice dice;
  private final Map<CallKind, Long> calls = new EnumMap<>(CallKind.class);
  private long total;

  CallFaults(Vertx vertx, AtomicReference<FaultSettings> faults, Dice dice) {
    this.vertx = vertx;
    this.faults = faults;
    this.dice = dice;
    for (CallKind kind : CallKind.values()) {
      calls.put(kind, 0L);
    }
  }

  /** Every call that reached the API, faulted or not. */
  long total() {
    return total;
  }

  /** {@code {"start":n,"describe":n,"stop":n,"list":n}}: calls per kind, faulted or not. */
  JsonObject perKind() {
    JsonObject json = new JsonObject();
    calls.forEach((kind, count) -> json.put(kind.json(), count));
    return json;
  }

  /**
   * The handler in front of every {@code /api/vms*} route: it calls {@code ctx.next()} once the call's
   * delay is over, unless it fails the call.
   */
  void enter(RoutingContext ctx) {
    CallKind kind = CallKind.of(ctx.request().method(), ctx.normalizedPath());
    total++;
    if (kind != null) {
      calls.merge(kind, 1L, Long::sum);
    }
    FaultSettings now = faults.get();
    boolean counted = kind != null && now.faultCalls(kind) > 0;
    if (counted) {
      FaultSettings after = now.countedCall(kind);
      faults.set(after);
      ctx.put(ARRIVAL_FAULTS, now);
      if (after.faultCalls(kind) == 0) {
        LOG.info("the last counted {} call met its faults; {} faults now off", kind.json(), kind.json());
      }
    }
    long delayMs = now.apiLatencyMs() + (kind == null ? 0 : now.latencyMs(kind));
    if (delayMs == 0) {
      failOrContinue(ctx, kind, now);
    } else {
      vertx.setTimer(delayMs, t -> failOrContinue(ctx, kind, counted ? now : faults.get()));
    }
  }

  private void failOrContinue(RoutingContext ctx, CallKind kind, FaultSettings now) {
    // Drawn for every call, so the error sequence does not depend on the other faults.
    if (dice.nextApiError(now.apiErrorRate())) {
      ctx.fail(Problem.injectedError("apiErrorRate"));
    } else if (kind != null && now.fails(kind)) {
      ctx.fail(Problem.injectedError(kind.json() + "Error"));
    } else {
      ctx.next();
    }
  }
}
