package dev.smartgateway.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.List;

/** Percentiles (nearest rank) and min/median/max summaries. */
final class Stats {
  private Stats() {
  }

  /** The p-th percentile (0..100) of {@code sorted}, NaN if empty. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
  }

  static double median(List<Double> values) {
    double[] v = values.stream().filter(d -> d != null && !d.isNaN()).mapToDouble(Double::doubleValue).sorted().toArray();
    return percentile(v, 50);
  }

  /** {@code {"min":..,"median":..,"max":..}} over the runs' values (nulls and NaN skipped). */
  static JsonObject spread(List<Double> values) {
    double[] v = values.stream().filter(d -> d != null && !d.isNaN()).mapToDouble(Double::doubleValue).sorted().toArray();
    if (v.length == 0) {
      return new JsonObject().putNull("min").putNull("median").putNull("max");
    }
    return new JsonObject().put("min", round(v[0])).put("median", round(percentile(v, 50)))
        .put("max", round(v[v.length - 1]));
  }

  /** Three significant decimals are plenty for any figure here. */
  static Double round(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return null;
    }
    return Math.round(v * 1000.0) / 1000.0;
  }

  static JsonArray sortedArray(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    JsonArray out = new JsonArray();
    for (double d : v) {
      out.add(Math.round(d * 10.0) / 10.0);
    }
    return out;
  }
}
