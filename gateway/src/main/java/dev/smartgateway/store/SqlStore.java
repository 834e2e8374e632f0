package dev.smartgateway.store;

import dev.smartgateway.config.StoreConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The store over the Vert.x SQL client, one code for the embedded H2 database and for PostgreSQL: statements are
 * written once (see {@link SqlDialect} for the two differences) and rows mapped once ({@link Rows}). Every batch
 * of writes is one transaction, so a batch that fails leaves nothing behind and can be retried whole.
 */
public final class SqlStore implements Store {

  private final Database db;
  private final Pool pool;
  private final SqlDialect dialect;
  private final String insertEvent;
  private final String upsertTask;
  private final String upsertUsage;
  private final String upsertRegistration;
  private final AtomicReference<Future<Void>> closed = new AtomicReference<>();

  private SqlStore(Database db) {
    this.db = db;
    this.pool = db.pool();
    this.dialect = db.dialect();
    this.insertEvent = dialect.sql("INSERT INTO events (" + String.join(", ", Rows.EVENT_INSERT) + ") VALUES ("
        + "?, ".repeat(Rows.EVENT_INSERT.size() - 1) + "?)");
    this.upsertTask = dialect.upsert("tasks", Rows.TASK_COLUMNS, "id");
    this.upsertUsage = dialect.upsert("usage", Rows.USAGE_COLUMNS, "ref");
    this.upsertRegistration = dialect.upsert("registrations", Rows.REGISTRATION_COLUMNS, "resource");
  }

  /**
   * Opens the configured database and creates its tables if missing. Fails with a message naming the database
   * (file or URL) and why it cannot be used.
   */
  public static Future<Store> open(Vertx vertx, StoreConfig config) {
    return Database.open(vertx, config)
        .recover(e -> Future.failedFuture(new IllegalStateException("cannot open the store: " + e.getMessage(), e)))
        .compose(db -> Schema.create(db.pool(), db.dialect())
            .<Store>map(v -> new SqlStore(db))
            .recover(e -> db.pool().close().<Store>transform(c -> Future.failedFuture(new IllegalStateException(
                "cannot open the store (" + db.description() + "): " + message(e) + hint(e), e)))));
  }

  /** Which database this is, for logs: the file, "in memory" or the URL without its password. */
  public String description() {
    return db.description();
  }

  @Override
  public Future<Void> appendEvents(List<HistoryEvent> events) {
    return batch(insertEvent, events.stream().map(Rows::event).toList());
  }

  @Override
  public Future<List<HistoryEvent>> events(EventQuery q) {
    Where where = new Where();
    where.add(q.resource() != null, "resource = ?", q.resource());
    if (!q.types().isEmpty()) {
      where.in("type", q.types().stream().sorted().toList());
    }
    where.add(q.since() > 0, "at >= ?", q.since());
    where.add(q.until() > 0, "at < ?", q.until());
    where.add(q.afterId() > 0, "id > ?", q.afterId());
    where.params.add((long) q.limit());
    return select("SELECT " + Rows.EVENT_SELECT + " FROM events" + where + " ORDER BY id FETCH FIRST ? ROWS ONLY",
        where.params).map(rows -> map(rows, Rows::event));
  }

  @Override
  public Future<Void> saveTasks(List<TaskRecord> tasks) {
    return batch(upsertTask, tasks.stream().map(Rows::task).toList());
  }

  @Override
  public Future<TaskRecord> task(String id) {
    return select("SELECT " + Rows.TASK_SELECT + " FROM tasks WHERE id = ?", List.of(id))
        .map(rows -> rows.size() == 0 ? null : Rows.task(rows.iterator().next()));
  }

  @Override
  public Future<List<TaskRecord>> tasks(TaskQuery q) {
    Where where = taskFilter(q);
    where.add(q.state() != null, "state = ?", q.state() == null ? null : q.state().label());
    where.params.add((long) q.limit());
    return select("SELECT " + Rows.TASK_SELECT + " FROM tasks" + where
        + " ORDER BY created_at DESC, id DESC FETCH FIRST ? ROWS ONLY", where.params)
        .map(rows -> map(rows, Rows::task));
  }

  @Override
  public Future<Map<TaskState, Long>> countTasks(TaskQuery q) {
    Where where = taskFilter(q);
    return select("SELECT state, COUNT(*) FROM tasks" + where + " GROUP BY state", where.params).map(rows -> {
      Map<TaskState, Long> counts = Store.zeroCounts();
      for (Row row : rows) {
        TaskState state = TaskState.ofLabel(row.getString(0));
        if (state != null) {
          counts.put(state, row.getLong(1));
        }
      }
      return counts;
    });
  }

  private static Where taskFilter(TaskQuery q) {
    Where where = new Where();
    where.add(q.resource() != null, "resource = ?", q.resource());
    where.add(q.kind() != null, "kind = ?", q.kind());
    where.add(q.since() > 0, "created_at >= ?", q.since());
    return where;
  }

  @Override
  public Future<Void> saveUsage(List<UsageInterval> intervals) {
    return batch(upsertUsage, intervals.stream().map(Rows::usage).toList());
  }

  @Override
  public Future<List<UsageInterval>> openIntervals() {
    return select("SELECT " + Rows.USAGE_SELECT + " FROM usage WHERE ended_at = 0 ORDER BY started_at, ref",
        List.of()).map(rows -> map(rows, Rows::usage));
  }

  @Override
  public Future<List<UsageTotal>> usage(long from, long to, long now) {
    return select("SELECT resource, group_set, started_at, ended_at FROM usage "
        + "WHERE started_at < ? AND (ended_at = 0 OR ended_at > ?)", List.of(to, from)).map(rows -> {
          UsageSum sum = new UsageSum(from, to, now);
          rows.forEach(r -> sum.add(r.getString(0), r.getString(1), r.getLong(2), r.getLong(3)));
          return sum.totals();
        });
  }

  @Override
  public Future<Void> saveRegistration(Registration registration) {
    return batch(upsertRegistration, List.of(Rows.registration(registration)));
  }

  @Override
  public Future<List<Registration>> registrations() {
    return select("SELECT " + Rows.REGISTRATION_SELECT + " FROM registrations ORDER BY resource", List.of())
        .map(rows -> map(rows, Rows::registration));
  }

  @Override
  public Future<Purged> purge(long olderThan, long maxEvents, long maxTasks) {
    return new Purge(this::update, olderThan, maxEvents, maxTasks).run();
  }

  @Override
  public Future<Void> check() {
    long stamp = System.nanoTime();
    return pool.withTransaction(conn -> conn.preparedQuery(dialect.sql("UPDATE heartbeat SET at = ? WHERE id = 1"))
            .execute(Tuple.of(stamp))
            .compose(v -> conn.query("SELECT at FROM heartbeat WHERE id = 1").execute()))
        .compose(rows -> rows.size() == 1 && rows.iterator().next().getLong(0) == stamp
            ? Future.<Void>succeededFuture()
            : Future.<Void>failedFuture("the store did not read back what it wrote"))
        .recover(e -> Future.failedFuture(new IllegalStateException(db.description() + ": " + message(e), e)));
  }

  @Override
  public Future<Void> close() {
    Future<Void> mine = closed.get();
    if (mine != null) {
      return mine;
    }
    // SHUTDOWN frees an in-memory database; it closes the connection under the statement, which the JDBC pool
    // reports as a failure. A file database closes with the pool's last connection.
    Future<Void> shutdown = !db.inMemory() ? Future.succeededFuture()
        : pool.query("SHUTDOWN").execute().<Void>mapEmpty().recover(e -> Future.succeededFuture());
    Future<Void> done = shutdown.compose(v -> pool.close());
    return closed.compareAndSet(null, done) ? done : closed.get();
  }

  /** One statement for every row, in order, in one transaction. */
  private Future<Void> batch(String sql, List<Tuple> rows) {
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.withTransaction(conn -> conn.preparedQuery(sql).executeBatch(rows)).mapEmpty();
  }

  private Future<RowSet<Row>> select(String sql, List<Object> params) {
    return pool.preparedQuery(dialect.sql(sql)).execute(Tuple.from(params));
  }

  /** Runs a statement written with {@code ?} and answers how many rows it changed. */
  private Future<Long> update(String sql, List<Object> params) {
    return pool.preparedQuery(dialect.sql(sql)).execute(Tuple.from(params)).map(rows -> (long) rows.rowCount());
  }

  private static <T> List<T> map(RowSet<Row> rows, java.util.function.Function<Row, T> mapper) {
    List<T> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(mapper.apply(r)));
    return out;
  }

  /** H2 locks its file: a second gateway on the same state.dir is the usual reason. */
  private static String hint(Throwable e) {
    return String.valueOf(e.getMessage()).contains("already in use")
        ? " (is another gateway running with the same state.dir?)" : "";
  }

  private static String message(Throwable e) {
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }
}
