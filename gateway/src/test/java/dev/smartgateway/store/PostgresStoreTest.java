package dev.smartgateway.store;

import dev.smartgateway.config.StoreConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The store contract on PostgreSQL, with the same code as on H2. Needs a database: {@code SG_TEST_PG_URL}
 * (e.g. {@code postgresql://smart_gateway@127.0.0.1:5432/smart_gateway_test}) and its password in
 * {@code SG_TEST_PG_PASSWORD}; {@code .ci/postgres} starts one. Without them the tests are skipped,
 * except in CI ({@code CI=true}), where they fail: CI must run them. Every test starts from dropped tables.
 */
class PostgresStoreTest extends StoreContract {

  static final String URL_ENV = "SG_TEST_PG_URL";
  static final String PASSWORD_ENV = "SG_TEST_PG_PASSWORD";

  /** Skips the calling test (fails it in CI) when there is no database to test against. */
  static void needsADatabase() {
    String url = System.getenv(URL_ENV);
    if (url == null || url.isBlank()) {
      String why = URL_ENV + " is not set: no PostgreSQL to test against (bash .ci/postgres starts one and prints "
          + "the variables)";
      if ("true".equals(System.getenv("CI"))) {
        fail("in CI the PostgreSQL store must be tested, but " + why);
      }
      Assumptions.abort(why);
    }
  }

  static StoreConfig config() {
    StoreConfig d = StoreConfig.defaults();
    return new StoreConfig(StoreConfig.Type.POSTGRESQL, d.dir(), System.getenv(URL_ENV), PASSWORD_ENV, null,
        d.maxAge(), d.maxEvents(), d.maxTasks(), d.writeQueue());
  }

  @Override
  protected Future<Store> open(Vertx vertx) {
    needsADatabase();
    PgConnectOptions options = PgConnectOptions.fromUri(System.getenv(URL_ENV));
    if (System.getenv(PASSWORD_ENV) != null) {
      options.setPassword(System.getenv(PASSWORD_ENV));
    }
    Pool admin = PgBuilder.pool().connectingTo(options).using(vertx).build();
    return admin.query("DROP TABLE IF EXISTS " + String.join(", ", Schema.TABLES)).execute()
        .eventually(() -> admin.close())
        .compose(v -> SqlStore.open(vertx, config()));
  }

  @Override
  protected Future<Store> reopen(Vertx vertx) {
    return SqlStore.open(vertx, config());
  }

  @Override
  protected boolean durable() {
    return true;
  }

  @Test
  void aWrongPasswordFailsWithAMessageNamingTheDatabaseButNotThePassword() throws Exception {
    StoreConfig d = config();
    String url = d.url().replace("://smart_gateway@", "://smart_gateway:wrong-secret@");
    StoreConfig bad = new StoreConfig(d.type(), Path.of("state"), url, null, null, Duration.ofDays(1), 1, 1, 1);
    Throwable failure = SqlStore.open(vertx, bad).toCompletionStage().toCompletableFuture()
        .handle((s, e) -> e).get();
    assertThat(failure).hasMessageContaining("cannot open the store").hasMessageContaining("PostgreSQL at")
        .hasMessageContaining("127.0.0.1").hasMessageNotContaining("wrong-secret");
  }

  @Test
  void aMissingPasswordVariableFailsWithAMessageNamingIt() throws Exception {
    StoreConfig d = config();
    StoreConfig bad = new StoreConfig(d.type(), d.dir(), d.url(), "SMART_GATEWAY_TEST_NO_SUCH_VARIABLE", null,
        d.maxAge(), 1, 1, 1);
    Throwable failure = SqlStore.open(vertx, bad).toCompletionStage().toCompletableFuture()
        .handle((s, e) -> e).get();
    assertThat(failure).hasMessageContaining("SMART_GATEWAY_TEST_NO_SUCH_VARIABLE");
  }
}
