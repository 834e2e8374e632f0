package dev.smartgateway.admin;

import dev.smartgateway.lifecycle.InstanceView;
import dev.smartgateway.lifecycle.LifecycleState;
import dev.smartgateway.store.TaskRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Arrays;
import java.util.List;

/** {@code /admin/instances}: every VM of this gateway with its state; stop one by hand. */
final class InstancesApi {

  private static final List<String> STATES = Arrays.stream(LifecycleState.values()).map(Enum::name).toList();

  private final AdminContext admin;

  InstancesApi(AdminContext admin) {
    this.admin = admin;
  }

  void mount(Router router) {
    router.get("/admin/instances").handler(this::list);
    router.post("/admin/instances/:id/stop").handler(this::stop);
  }

  private void list(RoutingContext ctx) {
    AdminParams params = new AdminParams(ctx);
    String resource = params.string("resource");
    String state = params.oneOf("state", STATES);
    if (params.refused()) {
      return;
    }
    admin.lifecycle().instances().onSuccess(all -> {
      long now = System.currentTimeMillis();
      JsonArray out = new JsonArray();
      all.stream()
          .filter(i -> resource == null || i.resource().equals(resource))
          .filter(i -> state == null || i.state().name().equals(state))
          .sorted(java.util.Comparator.comparing(InstanceView::resource).thenComparingLong(InstanceView::createdAt))
          .forEach(i -> out.add(AdminJson.instance(i, now)));
      AdminResponses.json(ctx, 200, new JsonObject().put("instances", out));
    }).onFailure(err -> AdminResponses.failure(ctx, err));
  }

  /** Drains, then stops (or stops at once with {@code ?force=true}); a start still running is cancelled. 202 with its task. */
  private void stop(RoutingContext ctx) {
    AdminParams params = new AdminParams(ctx);
    boolean force = params.bool("force");
    if (params.refused()) {
      return;
    }
    admin.lifecycle().stopByHand(ctx.pathParam("id"), force).onSuccess(instance -> {
      TaskRecord task = admin.tasks().latest(instance.ref(),
          instance.state().name().equals("STOPPING") || instance.state().name().equals("DRAINING") ? TaskRecord.STOP
              : TaskRecord.START);
      JsonObject body = task == null ? new JsonObject() : AdminJson.task(task);
      body.put("instance", AdminJson.instance(instance, System.currentTimeMillis()));
      if (task != null) {
        ctx.response().putHeader("Location", "/admin/tasks/" + task.id());
      }
      AdminResponses.json(ctx, 202, body);
    }).onFailure(err -> AdminResponses.failure(ctx, err));
  }
}
