package dev.smartgateway.admin;

import dev.smartgateway.access.AccessPolicy;
import dev.smartgateway.access.GroupSet;
import dev.smartgateway.config.ConfigException;
import dev.smartgateway.config.ResourceSettingsJson;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import dev.smartgateway.lifecycle.InstanceView;
import dev.smartgateway.routing.Names;
import dev.smartgateway.store.TaskRecord;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code /admin/resources}: what each resource is set to, what runs for it, who waits, what failed last;
 * register, change and unregister resources at run time; pre-warm.
 */
final class ResourcesApi {

  /** A pre-warm is refused like a request with its groups would be: a VM nobody may use is not started. */
  private static final AccessPolicy ACCESS = new AccessPolicy();

  private final AdminContext admin;

  ResourcesApi(AdminContext admin) {
    this.admin = admin;
  }

  void mount(Router router) {
    router.get("/admin/resources").handler(this::list);
    router.get("/admin/resources/:name").handler(this::get);
    router.put("/admin/resources/:name").handler(this::put);
    router.delete("/admin/resources/:name").handler(this::delete);
    router.post("/admin/resources/:name/start").handler(this::start);
  }

  private void list(RoutingContext ctx) {
    views().onSuccess(views -> AdminResponses.json(ctx, 200, new JsonObject().put("resources", new JsonArray(views))))
        .onFailure(err -> AdminResponses.failure(ctx, err));
  }

  private void get(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    views().onSuccess(views -> {
      for (JsonObject view : views) {
        if (view.getString("name").equals(name)) {
          AdminResponses.json(ctx, 200, view);
          return;
        }
      }
      AdminProblems.respond(ctx, new GatewayException(ErrorType.NOT_FOUND, "resource '" + name
          + "' has no settings of its own and nothing runs for it (requests to it are served with the defaults)", name));
    }).onFailure(err -> AdminResponses.failure(ctx, err));
  }

  private Future<List<JsonObject>> views() {
    return admin.lifecycle().instances().compose(instances -> admin.lifecycle().waitingByResource().map(waiting -> {
      long now = System.currentTimeMillis();
      TreeSet<String> names = new TreeSet<>(admin.catalog().listed().keySet());
      instances.forEach(i -> names.add(i.resource()));
      names.addAll(waiting.keySet());
      List<JsonObject> views = new ArrayList<>();
      for (String name : names) {
        views.add(view(name, instances, waiting, now));
      }
      return views;
    }));
  }

  private JsonObject view(String name, List<InstanceView> instances, Map<String, Integer> waiting, long now) {
    JsonArray own = new JsonArray();
    instances.stream().filter(i -> i.resource().equals(name)).forEach(i -> own.add(AdminJson.instance(i, now)));
    return new JsonObject()
        .put("name", name)
        .put("source", admin.registrations().source(name))
        .put("settings", ResourceSettingsJson.write(admin.catalog().settingsFor(name)))
        .put("instances", own)
        .put("waiting", waiting.getOrDefault(name, 0))
        .put("lastFailure", admin.failures().of(name));
  }

  private void put(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (!Names.isResourceId(name)) {
      AdminProblems.respond(ctx, ErrorType.BAD_REQUEST, "'" + name + "' is not a resource id (" + Names.RESOURCE_GRAMMAR + ")");
      return;
    }
    String body = ctx.body().asString();
    admin.registrations().put(name, body == null || body.isBlank() ? "{}" : body)
        .onSuccess(created -> admin.lifecycle().settingsChanged())
        .compose(created -> views().map(views -> {
          JsonObject view = views.stream().filter(v -> v.getString("name").equals(name)).findFirst().orElseThrow();
          ctx.response().putHeader("Location", "/admin/resources/" + name);
          AdminResponses.json(ctx, created ? 201 : 200, view);
          return null;
        }))
        .onFailure(err -> {
          if (err instanceof ConfigException problems) {
            JsonArray errors = new JsonArray();
            problems.problems().forEach(p -> errors.add(new JsonObject().put("key", p.key()).put("reason", p.reason())));
            AdminProblems.respond(ctx, new GatewayException(ErrorType.INVALID_SETTINGS, problems.problems().size()
                + " problem(s) in the settings of '" + name + "' (see errors)", name), errors);
          } else {
            AdminResponses.storeFailure(ctx, err);
          }
        });
  }

  private void delete(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    admin.registrations().remove(name).onSuccess(removed -> {
      if (!removed) {
        AdminProblems.respond(ctx, new GatewayException(ErrorType.NOT_FOUND, "resource '" + name
            + "' has no settings of its own to unregister", name));
        return;
      }
      admin.lifecycle().retire(name, "resource unregistered").onSuccess(affected -> {
        JsonArray draining = new JsonArray();
        long now = System.currentTimeMillis();
        affected.forEach(i -> draining.add(AdminJson.instance(i, now)));
        AdminResponses.json(ctx, 200, new JsonObject().put("name", name).put("unregistered", true)
            .put("instances", draining));
      }).onFailure(err -> AdminResponses.failure(ctx, err));
    }).onFailure(err -> AdminResponses.storeFailure(ctx, err));
  }

  private void start(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    GroupSet groups;
    try {
      JsonObject body = ctx.body().asJsonObject();
      JsonArray list = body == null ? null : body.getJsonArray("groups");
      if (list == null || list.isEmpty()) {
        throw new IllegalArgumentException("the body must name the groups: {\"groups\": [\"g1\"]}");
      }
      List<String> names = new ArrayList<>();
      list.forEach(g -> names.add(String.valueOf(g)));
      groups = GroupSet.of(names);
    } catch (RuntimeException e) {
      AdminProblems.respond(ctx, new GatewayException(ErrorType.BAD_REQUEST, e.getMessage(), name));
      return;
    }
    if (!Names.isResourceId(name)) {
      AdminProblems.respond(ctx, ErrorType.BAD_REQUEST, "'" + name + "' is not a resource id (" + Names.RESOURCE_GRAMMAR + ")");
      return;
    }
    try {
      ACCESS.check(name, groups, admin.catalog().settingsFor(name));
    } catch (GatewayException forbidden) {
      AdminProblems.respond(ctx, forbidden);
      return;
    }
    admin.lifecycle().startByHand(name, groups)
        .compose(instance -> startTask(instance).map(task -> {
          JsonObject body = task == null ? new JsonObject() : AdminJson.task(task);
          body.put("instance", AdminJson.instance(instance, System.currentTimeMillis()));
          if (task != null) {
            ctx.response().putHeader("Location", "/admin/tasks/" + task.id());
          }
          AdminResponses.json(ctx, 202, body);
          return null;
        }))
        .onFailure(err -> AdminResponses.failure(ctx, err));
  }

  /** The task that started (or is starting) this instance: held in memory while it runs, else in the store. */
  private Future<TaskRecord> startTask(InstanceView instance) {
    String id = instance.ref() + ".start";
    TaskRecord held = admin.tasks().get(id);
    return held != null ? Future.succeededFuture(held) : admin.store().task(id);
  }
}
