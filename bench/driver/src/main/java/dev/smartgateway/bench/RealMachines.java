package dev.smartgateway.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The "real machines" phase ({@code bench/run --only real}): what {@link Real} wrote per machine
 * ({@code real-docker.json}, {@code real-qemu.json}) summarised into one row each — the first response of a cold
 * start, split into the boot until the guest's port opened, the gateway's readiness probe, and the gateway's whole
 * share (port open → first response byte at the client); and, where the adapter can pause, suspend → resume →
 * first response.
 */
final class RealMachines {

  private static final String[] MACHINES = {"docker", "qemu"};

  private RealMachines() {
  }

  /** One row per machine measured, or null when the phase did not run. */
  static JsonArray read(Path work) throws IOException {
    JsonArray rows = new JsonArray();
    for (String machine : MACHINES) {
      Path file = work.resolve("real-" + machine + ".json");
      if (Files.exists(file)) {
        rows.add(row(machine, new JsonObject(Files.readString(file))));
      }
    }
    return rows.isEmpty() ? null : rows;
  }

  private static JsonObject row(String machine, JsonObject measured) {
    JsonArray runs = measured.getJsonArray("runs");
    JsonObject row = new JsonObject().put("machine", machine).put("resource", measured.getString("resource"))
        .put("runs", runs.size());
    for (String field : new String[] {"firstResponseMs", "untilRunningMs", "untilGuestAnsweredMs", "gatewayShareMs",
        "guestDirectMs"}) {
      row.put(field, Stats.spread(values(runs, null, field)));
    }
    List<Double> resumed = values(runs, "resume", "firstResponseMs");
    if (!resumed.isEmpty()) {
      row.put("resumeFirstResponseMs", Stats.spread(resumed));
    }
    return row;
  }

  private static List<Double> values(JsonArray runs, String inner, String field) {
    List<Double> out = new ArrayList<>();
    for (Object o : runs) {
      JsonObject run = inner == null ? (JsonObject) o : ((JsonObject) o).getJsonObject(inner);
      if (run != null && run.getValue(field) != null) {
        out.add(run.getDouble(field));
      }
    }
    return out;
  }

  /** The markdown section of {@link #read}'s rows: medians, with min–max beside them. */
  static void markdown(StringBuilder md, JsonArray rows) {
    md.append("\n## Real machines\n\n");
    md.append("Cold starts through the gateway of the examples' machines (`examples/docker`, `examples/qemu`), one ")
        .append("request at a time after every instance was stopped by hand. Split by the gateway's lifecycle events: ")
        .append("until the adapter said RUNNING (a container: created, started and its own readiness check passed; ")
        .append("QEMU: the VM process runs, the guest still boots), then until the gateway's readiness probe (every ")
        .append("25 ms) got the guest's answer, then the gateway's share — the guest answered → first response byte at ")
        .append("the client, which includes the guest's own answer to that request: beside it, the guest's time for ")
        .append("one such request sent to it directly. Resume: a machine left to idle into SUSPENDED, then one ")
        .append("request. Median (min–max) in ms.\n\n");
    table(md, rows);
  }

  /** The table alone (the README's Performance section has it under the cold bursts). */
  static void table(StringBuilder md, JsonArray rows) {
    md.append("| real machine | runs | first response | until RUNNING | then until the guest answered | gateway's share "
        + "| the guest alone (direct) | resume → first response |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Object o : rows) {
      JsonObject r = (JsonObject) o;
      md.append("| ").append(r.getString("machine")).append(" | ").append(r.getInteger("runs"))
          .append(" | ").append(spread(r, "firstResponseMs")).append(" | ").append(spread(r, "untilRunningMs"))
          .append(" | ").append(spread(r, "untilGuestAnsweredMs")).append(" | ").append(spread(r, "gatewayShareMs"))
          .append(" | ").append(spread(r, "guestDirectMs"))
          .append(" | ").append(spread(r, "resumeFirstResponseMs")).append(" |\n");
    }
  }

  private static String spread(JsonObject row, String field) {
    JsonObject s = row.getJsonObject(field);
    if (s == null || s.getValue("median") == null) {
      return "—";
    }
    return num(s.getDouble("median")) + " (" + num(s.getDouble("min")) + "–" + num(s.getDouble("max")) + ")";
  }

  private static String num(Double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }
}
