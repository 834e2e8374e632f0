package dev.smartgateway.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Records to statement parameters and result rows back to records. Columns are read by position, in the order
 * of the column lists here, because the two databases spell unquoted names differently (H2 upper case,
 * PostgreSQL lower case). Group sets are stored as their sorted names joined by commas (group names cannot hold
 * a comma); task steps as a JSON array of {@code {name, at, detail}}.
 */
final class Rows {

  static final List<String> EVENT_INSERT = List.of("at", "category", "type", "resource", "group_set", "instance_id",
      "ref", "task_id", "from_state", "to_state", "reason", "gateway", "detail");
  static final String EVENT_SELECT = "id, " + String.join(", ", EVENT_INSERT);

  static final List<String> TASK_COLUMNS = List.of("id", "kind", "origin", "resource", "group_set", "instance_id",
      "ref", "state", "created_at", "updated_at", "steps", "result", "error", "gateway");
  static final String TASK_SELECT = String.join(", ", TASK_COLUMNS);

  static final List<String> USAGE_COLUMNS = List.of("ref", "resource", "group_set", "instance_id", "started_at",
      "ended_at", "gateway");
  static final String USAGE_SELECT = String.join(", ", USAGE_COLUMNS);

  static final List<String> REGISTRATION_COLUMNS = List.of("resource", "settings", "updated_at");
  static final String REGISTRATION_SELECT = String.join(", ", REGISTRATION_COLUMNS);

  private Rows() {
  }

  static String joinGroups(List<String> groups) {
    return String.join(",", groups.stream().sorted().toList());
  }

  static List<String> splitGroups(String text) {
    return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split(","));
  }

  static Tuple event(HistoryEvent e) {
    return Tuple.from(Arrays.asList(e.at(), e.category(), e.type(), e.resource(), joinGroups(e.groups()),
        e.instanceId(), e.ref(), e.taskId(), e.from(), e.to(), e.reason(), e.gateway(), e.detail()));
  }

  static HistoryEvent event(Row r) {
    return new HistoryEvent(r.getLong(0), r.getLong(1), r.getString(2), r.getString(3), r.getString(4),
        splitGroups(r.getString(5)), r.getString(6), r.getString(7), r.getString(8), r.getString(9),
        r.getString(10), r.getString(11), r.getString(12), r.getString(13));
  }

  static Tuple task(TaskRecord t) {
    return Tuple.from(Arrays.asList(t.id(), t.kind(), t.origin(), t.resource(), joinGroups(t.groups()),
        t.instanceId(), t.ref(), t.state().label(), t.createdAt(), t.updatedAt(), steps(t.steps()), t.result(),
        t.error(), t.gateway()));
  }

  static TaskRecord task(Row r) {
    return new TaskRecord(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
        splitGroups(r.getString(4)), r.getString(5), r.getString(6), TaskState.ofLabel(r.getString(7)),
        r.getLong(8), r.getLong(9), steps(r.getString(10)), r.getString(11), r.getString(12), r.getString(13));
  }

  static Tuple usage(UsageInterval u) {
    return Tuple.from(Arrays.asList(u.ref(), u.resource(), joinGroups(u.groups()), u.instanceId(), u.startedAt(),
        u.endedAt(), u.gateway()));
  }

  static UsageInterval usage(Row r) {
    return new UsageInterval(r.getString(0), r.getString(1), splitGroups(r.getString(2)), r.getString(3),
        r.getLong(4), r.getLong(5), r.getString(6));
  }

  static Tuple registration(Registration g) {
    return Tuple.from(Arrays.asList(g.resource(), g.settings(), g.updatedAt()));
  }

  static Registration registration(Row r) {
    return new Registration(r.getString(0), r.getString(1), r.getLong(2));
  }

  static String steps(List<TaskRecord.Step> steps) {
    JsonArray array = new JsonArray();
    for (TaskRecord.Step step : steps) {
      JsonObject o = new JsonObject().put("name", step.name()).put("at", step.at());
      if (step.detail() != null) {
        o.put("detail", step.detail());
      }
      array.add(o);
    }
    return array.encode();
  }

  static List<TaskRecord.Step> steps(String json) {
    if (json == null || json.isEmpty()) {
      return List.of();
    }
    JsonArray array = new JsonArray(json);
    List<TaskRecord.Step> steps = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonObject o = array.getJsonObject(i);
      steps.add(new TaskRecord.Step(o.getString("name"), o.getLong("at", 0L), o.getString("detail")));
    }
    return steps;
  }
}
