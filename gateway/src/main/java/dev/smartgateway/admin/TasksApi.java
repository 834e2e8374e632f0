package dev.smartgateway.admin;

import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import dev.smartgateway.store.TaskQuery;
import dev.smartgateway.store.TaskRecord;
import dev.smartgateway.store.TaskState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code /admin/tasks}: every start and stop, automatic or by hand (dynflow's task API): list and filter,
 * one task, counts by state, cancel a running start.
 */
final class TasksApi {

  private static final List<String> STATES = Arrays.stream(TaskState.values()).map(TaskState::label).toList();
  private static final List<String> KINDS = List.of(TaskRecord.START, TaskRecord.STOP, TaskRecord.SUSPEND,
      TaskRecord.RESUME);

  private final AdminContext admin;

  TasksApi(AdminContext admin) {
    this.admin = admin;
  }

  void mount(Router router) {
    router.get("/admin/tasks").handler(this::list);
    router.get("/admin/tasks/count").handler(this::count);
    router.get("/admin/tasks/:id").handler(this::get);
    router.post("/admin/tasks/:id/cancel").handler(this::cancel);
  }

  private TaskQuery query(AdminParams params, boolean withLimit) {
    String state = params.oneOf("state", STATES);
    String kind = params.oneOf("kind", KINDS);
    long since = params.time("since", 0);
    int limit = withLimit ? params.integer("limit", 100, 1, TaskQuery.MAX_LIMIT) : TaskQuery.MAX_LIMIT;
    return new TaskQuery(state == null ? null : TaskState.ofLabel(state), params.string("resource"), kind, since, limit);
  }

  private void list(RoutingContext ctx) {
    AdminParams params = new AdminParams(ctx);
    TaskQuery query = query(params, true);
    if (params.refused()) {
      return;
    }
    admin.flush().get().compose(v -> admin.store().tasks(query)).onSuccess(tasks -> {
      JsonArray out = new JsonArray();
      tasks.forEach(t -> out.add(AdminJson.task(t)));
      AdminResponses.json(ctx, 200, new JsonObject().put("tasks", out));
    }).onFailure(err -> AdminResponses.storeFailure(ctx, err));
  }

  private void count(RoutingContext ctx) {
    AdminParams params = new AdminParams(ctx);
    TaskQuery query = query(params, false);
    if (params.refused()) {
      return;
    }
    admin.flush().get().compose(v -> admin.store().countTasks(query)).onSuccess(counts -> {
      JsonObject byState = new JsonObject();
      long total = 0;
      for (Map.Entry<TaskState, Long> e : counts.entrySet()) {
        if (query.state() == null || query.state() == e.getKey()) {
          byState.put(e.getKey().label(), e.getValue());
          total += e.getValue();
        }
      }
      AdminResponses.json(ctx, 200, new JsonObject().put("counts", byState).put("total", total));
    }).onFailure(err -> AdminResponses.storeFailure(ctx, err));
  }

  private void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    find(id).onSuccess(task -> {
      if (task == null) {
        AdminProblems.respond(ctx, ErrorType.NOT_FOUND, "no task " + id);
      } else {
        AdminResponses.json(ctx, 200, AdminJson.task(task));
      }
    }).onFailure(err -> AdminResponses.storeFailure(ctx, err));
  }

  /** Only a start still running can be cancelled: its VM is stopped, its held requests get 503 with the reason. */
  private void cancel(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    find(id).onSuccess(task -> {
      if (task == null) {
        AdminProblems.respond(ctx, ErrorType.NOT_FOUND, "no task " + id);
      } else if (!task.kind().equals(TaskRecord.START) || task.state().isFinal()) {
        AdminProblems.respond(ctx, new GatewayException(ErrorType.CONFLICT, "task " + id + " is a " + task.kind()
            + " task and " + task.state().label() + ": only a running start can be cancelled", task.resource()));
      } else {
        admin.lifecycle().cancelStart(task.ref(), "cancelled by hand (task " + id + ")")
            .onSuccess(instance -> {
              TaskRecord now = admin.tasks().get(id);
              AdminResponses.json(ctx, 200, AdminJson.task(now != null ? now : task));
            })
            .onFailure(err -> AdminResponses.failure(ctx, err));
      }
    }).onFailure(err -> AdminResponses.storeFailure(ctx, err));
  }

  /** The task, from memory while this gateway holds it, else from the store. */
  private Future<TaskRecord> find(String id) {
    TaskRecord held = admin.tasks().get(id);
    return held != null ? Future.succeededFuture(held) : admin.flush().get().compose(v -> admin.store().task(id));
  }
}
