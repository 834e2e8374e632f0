package dev.smartgateway.store;

import dev.smartgateway.config.StoreConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.nio.file.Path;
import java.util.UUID;

/**
 * A connection pool to the configured database, with its dialect and a name for messages.
 *
 * <p>H2 goes through the Vert.x JDBC pool, which runs every JDBC call on a worker thread (connecting on the
 * internal blocking pool, statements through the calling context's {@code executeBlocking}), so no event loop
 * ever waits on the database file. PostgreSQL goes through the reactive client.
 *
 * @param pool        the pool
 * @param dialect     how its SQL differs
 * @param description which database, for messages: the file, "in memory", or the URL without a password
 * @param inMemory    an H2 in-memory database, kept while the pool reconnects ({@code DB_CLOSE_DELAY=-1}): closing
 *                    the store runs {@code SHUTDOWN} to free it. A file database closes with its last connection
 */
record Database(Pool pool, SqlDialect dialect, String description, boolean inMemory) {

  /** Connections per store: writes come one batch at a time, reads from the admin API are few. */
  private static final int POOL_SIZE = 4;

  /** The embedded database's name under {@code state.dir}: H2 adds {@code .mv.db}. */
  static final String EMBEDDED_NAME = "gateway";

  static Future<Database> open(Vertx vertx, StoreConfig config) {
    return switch (config.type()) {
      case EMBEDDED -> embedded(vertx, config.dir());
      case MEMORY -> Future.succeededFuture(h2(vertx,
          "jdbc:h2:mem:smart-gateway-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "in-memory H2 database", true));
      case POSTGRESQL -> postgres(vertx, config);
    };
  }

  private static Future<Database> embedded(Vertx vertx, Path dir) {
    Path base = dir.toAbsolutePath().normalize().resolve(EMBEDDED_NAME);
    String description = "embedded H2 database " + base + ".mv.db";
    // Our close() shuts it down; H2's own exit hook could close it under the last writes of a graceful stop.
    return vertx.fileSystem().mkdirs(base.getParent().toString())
        .recover(e -> Future.failedFuture("cannot create the directory " + base.getParent() + " (state.dir): "
            + e.getMessage()))
        .map(v -> h2(vertx, "jdbc:h2:file:" + base + ";DB_CLOSE_ON_EXIT=FALSE", description, false));
  }

  private static Database h2(Vertx vertx, String url, String description, boolean inMemory) {
    Pool pool = JDBCPool.pool(vertx, new JDBCConnectOptions().setJdbcUrl(url), new PoolOptions().setMaxSize(POOL_SIZE));
    return new Database(pool, SqlDialect.H2, description, inMemory);
  }

  private static Future<Database> postgres(Vertx vertx, StoreConfig config) {
    String url = config.url() == null ? "" : config.url().trim();
    if (url.startsWith("jdbc:")) {
      url = url.substring("jdbc:".length());
    }
    String description = "PostgreSQL at " + redact(url);
    PgConnectOptions options;
    try {
      options = PgConnectOptions.fromUri(url);
    } catch (RuntimeException e) {
      return Future.failedFuture(description + ": store.url is not a postgresql://user@host:port/database URL ("
          + e.getMessage() + ")");
    }
    return password(vertx, config).map(password -> {
      if (password != null) {
        options.setPassword(password);
      }
      Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(POOL_SIZE)).connectingTo(options)
          .using(vertx).build();
      return new Database(pool, SqlDialect.POSTGRESQL, description, false);
    }).recover(e -> Future.failedFuture(description + ": " + e.getMessage()));
  }

  /** The password from store.passwordEnv or store.passwordFile; null if neither is set (the URL may hold one). */
  private static Future<String> password(Vertx vertx, StoreConfig config) {
    if (config.passwordEnv() != null) {
      String value = System.getenv(config.passwordEnv());
      return value == null || value.isEmpty()
          ? Future.failedFuture("the environment variable " + config.passwordEnv() + " (store.passwordEnv) is not set")
          : Future.succeededFuture(value);
    }
    if (config.passwordFile() != null) {
      return vertx.fileSystem().readFile(config.passwordFile().toString())
          .map(b -> b.toString().trim())
          .recover(e -> Future.failedFuture("cannot read " + config.passwordFile() + " (store.passwordFile): "
              + e.getMessage()));
    }
    return Future.succeededFuture(null);
  }

  /** The URL with any password in it replaced, fit for logs and messages. */
  static String redact(String url) {
    return url.replaceFirst("://([^:/@]*):[^@/]*@", "://$1:***@");
  }
}
