package dev.smartgateway.store;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The two places where H2 and PostgreSQL disagree and {@link SqlStore} has to care: how a statement marks its
 * parameters ({@code ?} for JDBC, {@code $1 $2 ...} for the PostgreSQL client) and how a row is upserted (H2 only
 * knows {@code ON CONFLICT DO NOTHING}, PostgreSQL has no {@code MERGE ... KEY}). Every other statement is written
 * once, in the SQL both understand, with {@code ?} placeholders, and passes through {@link #sql(String)}.
 */
enum SqlDialect {
  H2("H2"),
  POSTGRESQL("PostgreSQL");

  private final String label;

  SqlDialect(String label) {
    this.label = label;
  }

  /** The statement as this database's client wants it: {@code ?} become {@code $1, $2, ...} for PostgreSQL. */
  String sql(String text) {
    if (this == H2) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    int n = 0;
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      }
      if (c == '?' && !quoted) {
        out.append('$').append(++n);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Inserts a row or replaces every other column of the row with the same {@code key}; the parameters are the
   * columns in the order given.
   */
  String upsert(String table, List<String> columns, String key) {
    String names = String.join(", ", columns);
    String marks = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
    if (this == H2) {
      return "MERGE INTO " + table + " (" + names + ") KEY (" + key + ") VALUES (" + marks + ")";
    }
    String updates = columns.stream().filter(c -> !c.equals(key)).map(c -> c + " = EXCLUDED." + c)
        .collect(Collectors.joining(", "));
    return sql("INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ") ON CONFLICT (" + key
        + ") DO UPDATE SET " + updates);
  }

  /**
   * A statement that makes concurrent schema creation by several gateways wait for each other (PostgreSQL
   * runs {@code CREATE ... IF NOT EXISTS} racily); null where there is only ever one process (H2).
   */
  String schemaLock() {
    return this == POSTGRESQL ? "SELECT pg_advisory_xact_lock(7262300917)" : null;
  }

  @Override
  public String toString() {
    return label;
  }
}
