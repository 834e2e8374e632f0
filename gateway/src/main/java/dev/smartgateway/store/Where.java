package dev.smartgateway.store;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code WHERE} clause built from the filters a query sets, with its parameters in order; a filter that is
 * not set adds nothing (rather than {@code ? IS NULL OR ...}, which PostgreSQL cannot type).
 */
final class Where {

  private final List<String> clauses = new ArrayList<>();
  /** The parameters of the clauses, in order; a caller may append more for what follows the clause. */
  final List<Object> params = new ArrayList<>();

  /** Adds {@code clause} (with one {@code ?}) and its value when {@code set}. */
  void add(boolean set, String clause, Object value) {
    if (set) {
      clauses.add(clause);
      params.add(value);
    }
  }

  /** Adds {@code column IN (?, ...)} for non-empty values. */
  void in(String column, List<String> values) {
    if (!values.isEmpty()) {
      clauses.add(column + " IN (" + "?, ".repeat(values.size() - 1) + "?)");
      params.addAll(values);
    }
  }

  @Override
  public String toString() {
    return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
  }
}
