package dev.smartgateway.store;

import dev.smartgateway.config.StoreConfig;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.LongSupplier;

/**
 * Keeps the store within {@code store.retention}: once shortly after start (a gateway that was down for a while
 * catches up at once), then every minute, one {@link Store#purge} at a time. Its timers belong to the context
 * that calls {@link #start()}: {@link StoreWriter}'s.
 */
final class Retention {

  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

  private final Vertx vertx;
  private final Store store;
  private final StoreConfig config;
  private final LongSupplier clock;
  private final long firstMs;
  private final long everyMs;
  private long firstTimer = -1;
  private long periodicTimer = -1;
  private boolean running;

  Retention(Vertx vertx, Store store, StoreConfig config, LongSupplier clock, long firstMs, long everyMs) {
    this.vertx = vertx;
    this.store = store;
    this.config = config;
    this.clock = clock;
    this.firstMs = firstMs;
    this.everyMs = everyMs;
  }

  /** On the owner's context. */
  void start() {
    firstTimer = vertx.setTimer(firstMs, id -> {
      firstTimer = -1;
      run();
      periodicTimer = vertx.setPeriodic(everyMs, pid -> run());
    });
  }

  /** On the owner's context. */
  void stop() {
    vertx.cancelTimer(firstTimer);
    vertx.cancelTimer(periodicTimer);
    firstTimer = -1;
    periodicTimer = -1;
  }

  private void run() {
    if (running) {
      return;
    }
    running = true;
    long olderThan = clock.getAsLong() - config.maxAge().toMillis();
    store.purge(olderThan, config.maxEvents(), config.maxTasks()).onComplete(ar -> {
      running = false;
      if (ar.failed()) {
        LOG.debug("store retention failed (the next run tries again): {}", ar.cause().getMessage());
        return;
      }
      Store.Purged p = ar.result();
      if (p.events() + p.tasks() + p.intervals() > 0) {
        LOG.info("store retention deleted {} events, {} finished tasks and {} usage intervals", p.events(),
            p.tasks(), p.intervals());
      } else {
        LOG.debug("store retention: nothing to delete");
      }
    });
  }
}
