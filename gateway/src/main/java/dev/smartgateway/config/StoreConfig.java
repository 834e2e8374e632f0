package dev.smartgateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where tasks, the event history, usage and run-time registrations are kept (DESIGN section 9).
 *
 * @param type         {@code store.type}: {@code embedded} (default: an H2 database file under {@code state.dir},
 *                     nothing to install), {@code postgresql} (for several gateways), or {@code memory} (nothing
 *                     survives a restart: tests, throw-away runs)
 * @param dir          {@code state.dir}, the directory of the embedded database (default {@code state}, relative to
 *                     the working directory)
 * @param url          {@code store.url}: for postgresql, {@code postgresql://user@host:port/database}
 * @param passwordEnv  {@code store.passwordEnv}: an environment variable holding the database password
 * @param passwordFile {@code store.passwordFile}: a file holding it (trimmed)
 * @param maxAge       {@code store.retention.maxAge}: events and finished tasks older than this are deleted (default 30d)
 * @param maxEvents    {@code store.retention.maxEvents}: at most this many events are kept, the oldest go first
 *                     (default 1000000)
 * @param maxTasks     {@code store.retention.maxTasks}: at most this many finished tasks are kept (default 100000)
 * @param writeQueue   {@code store.writeQueue}: writes waiting for the database; when it is full (the database is
 *                     down or slow) the oldest waiting write is dropped and counted (default 100000)
 */
public record StoreConfig(Type type, Path dir, String url, String passwordEnv, Path passwordFile, Duration maxAge,
                          long maxEvents, long maxTasks, int writeQueue) {

  public enum Type { EMBEDDED, POSTGRESQL, MEMORY }

  public StoreConfig {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(maxAge, "maxAge");
  }

  public static StoreConfig defaults() {
    return new StoreConfig(Type.EMBEDDED, Path.of("state"), null, null, null, Duration.ofDays(30), 1_000_000, 100_000,
        100_000);
  }

  public static StoreConfig memory() {
    StoreConfig d = defaults();
    return new StoreConfig(Type.MEMORY, d.dir, null, null, null, d.maxAge, d.maxEvents, d.maxTasks, d.writeQueue);
  }
}
