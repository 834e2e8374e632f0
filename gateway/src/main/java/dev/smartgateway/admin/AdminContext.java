package dev.smartgateway.admin;

import dev.smartgateway.config.GatewayConfig;
import dev.smartgateway.config.ResourceCatalog;
import dev.smartgateway.lifecycle.LifecycleManager;
import dev.smartgateway.observe.EventFeed;
import dev.smartgateway.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * What the admin API's handlers work with: the lifecycle they steer, the catalog and registrations they
 * change, the store they read (after {@code flush}: a read sees every write made before it), the task book
 * and the live feed.
 */
record AdminContext(Vertx vertx, GatewayConfig config, ResourceCatalog catalog, LifecycleManager lifecycle,
                    Store store, Supplier<Future<Void>> flush, TaskBook tasks, EventFeed feed, LastFailures failures,
                    Registrations registrations) {
}
