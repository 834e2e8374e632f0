package dev.smartgateway.store;

import dev.smartgateway.config.StoreConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The store contract on the default {@code store.type: embedded}: an H2 file under {@code state.dir}. */
class EmbeddedStoreTest extends StoreContract {

  @TempDir
  Path temp;

  private StoreConfig config() {
    StoreConfig d = StoreConfig.defaults();
    return new StoreConfig(StoreConfig.Type.EMBEDDED, temp.resolve("state"), null, null, null, d.maxAge(),
        d.maxEvents(), d.maxTasks(), d.writeQueue());
  }

  @Override
  protected Future<Store> open(Vertx vertx) {
    return SqlStore.open(vertx, config());
  }

  @Override
  protected Future<Store> reopen(Vertx vertx) {
    return open(vertx);
  }

  @Override
  protected boolean durable() {
    return true;
  }

  @Test
  void theDatabaseIsOneFileInTheStateDirectory() {
    assertThat(temp.resolve("state").resolve("gateway.mv.db")).isRegularFile();
  }

  @Test
  void reopeningTwiceKeepsEverythingAndTheSchemaIsCreatedOnce() {
    await(store.appendEvents(List.of(event(1, "READY", "web"))));
    await(store.close());
    Store second = track(await(reopen(vertx)));
    await(second.close());
    Store third = track(await(reopen(vertx)));
    assertThat(await(third.events(EventQuery.all()))).hasSize(1);
  }

  @Test
  void aStateDirThatIsAFileFailsWithAMessageNamingIt() throws Exception {
    Path file = Files.writeString(temp.resolve("not-a-dir"), "x");
    StoreConfig d = config();
    StoreConfig bad = new StoreConfig(d.type(), file, null, null, null, d.maxAge(), d.maxEvents(), d.maxTasks(),
        d.writeQueue());
    Throwable failure = SqlStore.open(vertx, bad).toCompletionStage().toCompletableFuture()
        .handle((s, e) -> e).get();
    assertThat(failure).hasMessageContaining("cannot open the store").hasMessageContaining(file.toString());
  }
}
