package dev.smartgateway.observe;

import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.ResilientCloudProvider;
import dev.smartgateway.store.Store;
import dev.smartgateway.store.StoreWriter;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;

import java.util.Collection;
import java.util.function.BooleanSupplier;

/**
 * What {@code /ready} checks (DESIGN section 9), with vertx-health-check: the listeners are bound and the
 * gateway is not shutting down; every provider is reachable, or at least its circuit breaker is not open (an
 * open breaker means the cloud failed recently: new starts would be refused at once); the store takes writes
 * (a write and a read, and the writer is not failing). A gateway whose store fails still proxies: it is
 * reported, not stopped.
 */
public final class HealthProbes {

  static final long CHECK_TIMEOUT_MS = 2_000;

  private final HealthChecks ready;

  public HealthProbes(Vertx vertx, BooleanSupplier serving, Collection<CloudProvider> providers, Store store,
                      StoreWriter writer) {
    this.ready = HealthChecks.create(vertx);
    ready.register("listeners", CHECK_TIMEOUT_MS, promise -> promise.complete(serving.getAsBoolean()
        ? Status.OK() : Status.KO(new JsonObject().put("reason", "shutting down"))));
    int n = 0;
    for (CloudProvider provider : providers) {
      if (provider instanceof ResilientCloudProvider resilient) {
        CircuitBreaker breaker = resilient.breaker();
        ready.register("cloud-" + (++n), CHECK_TIMEOUT_MS, promise -> {
          CircuitBreaker.State state = breaker.getState();
          JsonObject data = new JsonObject().put("breaker", breaker.getName()).put("state", state.name());
          promise.complete(state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN
              ? Status.KO(data.put("reason", "the cloud failed recently: its circuit breaker is open"))
              : Status.OK(data));
        });
      }
    }
    ready.register("store", CHECK_TIMEOUT_MS, promise -> {
      JsonObject data = new JsonObject().put("queued", writer.queued()).put("dropped", writer.dropped());
      if (writer.failing()) {
        promise.complete(Status.KO(data.put("reason", "writes fail: " + describe(writer.lastError()))));
        return;
      }
      store.check().onComplete(ar -> promise.complete(ar.succeeded() ? Status.OK(data)
          : Status.KO(data.put("reason", "the store does not take writes: " + describe(ar.cause())))));
    });
  }

  public HealthChecks ready() {
    return ready;
  }

  private static String describe(Throwable error) {
    return error == null ? "unknown" : error.getMessage() != null ? error.getMessage() : error.toString();
  }
}
