package dev.smartgateway.store;

import dev.smartgateway.config.StoreConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

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

  /** Called by H2 through an alias: on which thread the JDBC pool runs a statement. */
  public static final class Probe {
    public static String threadName() {
      return Thread.currentThread().getName();
    }
  }

  @Test
  void theJdbcPoolRunsStatementsOffTheEventLoop() throws Exception {
    Database db = await(Database.open(vertx, dev.smartgateway.config.StoreConfig.memory()));
    try {
      await(db.pool().query("CREATE ALIAS WHO_RUNS_ME FOR \"" + Probe.class.getName() + ".threadName\"").execute());
      CompletableFuture<String[]> threads = new CompletableFuture<>();
      vertx.getOrCreateContext().runOnContext(v -> {
        String caller = Thread.currentThread().getName();
        db.pool().query("SELECT WHO_RUNS_ME()").execute().onComplete(ar -> threads.complete(
            new String[] {caller, ar.succeeded() ? ar.result().iterator().next().getString(0) : ar.cause().toString()}));
      });
      String[] names = threads.get(30, TimeUnit.SECONDS);
      assertThat(names[0]).startsWith("vert.x-eventloop");
      assertThat(names[1]).startsWith("vert.x-worker");
    } finally {
      // SHUTDOWN closes the connection under the statement, which the JDBC pool reports as a failure.
      await(db.pool().query("SHUTDOWN").execute().transform(ar -> db.pool().close()));
    }
  }
}
