package dev.smartgateway.store;

import dev.smartgateway.config.StoreConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The store contract on {@code store.type: memory}: H2 in memory, nothing kept across a close. */
class MemoryStoreTest extends StoreContract {

  @Override
  protected Future<Store> open(Vertx vertx) {
    return SqlStore.open(vertx, StoreConfig.memory());
  }

  @Override
  protected Future<Store> reopen(Vertx vertx) {
    return open(vertx);
  }

  @Override
  protected boolean durable() {
    return false;
  }
}
