package dev.smartgateway.cloudmock;

import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/** The cloud's REST API: translates HTTP into registry calls (behind {@link CallFaults}), renders problems. */
final class MockApi {

  private static final Logger LOG = LoggerFactory.getLogger(MockApi.class);
  private static final String JSON = "application/json";
  private static final long MAX_BODY_BYTES = 64 * 1024;
  private static final int MAX_GROUPS = 32;
  // The gateway's virtual-URL grammar (DESIGN.md section 3): the mock refuses what the gateway would.
  private static final Pattern RESOURCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final int MAX_LABELS = 32;
  // Label-safe in the clouds' common form (Kubernetes' label names without a prefix, and its values).
  private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");
  private static final Pattern LABEL_VALUE = Pattern.compile("(?:[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?");

  private final Vertx vertx;
  private final MockCloudOptions options;
  private final VmRegistry registry;
  private final EventBroadcaster events;
  private final AtomicReference<FaultSettings> faults;
  private final CallFaults calls;

  MockApi(Vertx vertx, MockCloudOptions options, VmRegistry registry, EventBroadcaster events,
          AtomicReference<FaultSettings> faults, Dice dice) {
    this.vertx = vertx;
    this.options = options;
    this.registry = registry;
    this.events = events;
    this.faults = faults;
    this.calls = new CallFaults(vertx, faults, dice);
  }

  Router router() {
    Router router = Router.router(vertx);
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    // Only the VM calls are faulty: tests and operators must always be able to read and reset faults.
    router.routeWithRegex("/api/vms(/.*)?").handler(calls::enter);

    router.post("/api/vms").handler(this::create);
    router.get("/api/vms").handler(this::list);
    router.get("/api/vms/:id").handler(ctx -> json(ctx, 200, registry.get(ctx.pathParam("id")).toJson()));
    router.delete("/api/vms/:id")
        .handler(ctx -> json(ctx, 202, registry.stop(ctx.pathParam("id")).toJson()));
    router.post("/api/vms/:id/crash").handler(ctx -> registry.crash(ctx.pathParam("id"))
        .onSuccess(vm -> json(ctx, 200, vm.toJson()))
        .onFailure(ctx::fail));
    router.post("/api/vms/:id/suspend").handler(ctx -> registry.pause(ctx.pathParam("id"), VmState.SUSPENDED)
        .onSuccess(vm -> json(ctx, 200, vm.toJson()))
        .onFailure(ctx::fail));
    router.post("/api/vms/:id/resume").handler(ctx -> registry.pause(ctx.pathParam("id"), VmState.RUNNING)
        .onSuccess(vm -> json(ctx, 200, vm.toJson()))
        .onFailure(ctx::fail));
    router.get("/api/events").handler(ctx -> events.subscribe(ctx.response()));
    router.get("/api/stats").handler(ctx -> json(ctx, 200,
        registry.stats().put("apiCalls", calls.total()).put("calls", calls.perKind())));
    router.get("/api/faults").handler(ctx -> json(ctx, 200, faults.get().toJson()));
    router.put("/api/faults").handler(this::updateFaults);

    // Unmatched paths and methods never reach a failure handler, only these.
    router.errorHandler(404, ctx -> Problem.forStatus(404,
        "no API at " + ctx.request().method() + " " + ctx.request().path()).send(ctx.response()));
    router.errorHandler(405, ctx -> Problem.forStatus(405,
        ctx.request().method() + " is not allowed on " + ctx.request().path()).send(ctx.response()));
    router.route().failureHandler(this::renderFailure);
    return router;
  }

  private void create(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    if (!(body.getValue("resource") instanceof String resource)) {
      throw Problem.badRequest("'resource' is required and must be a string");
    }
    if (!RESOURCE.matcher(resource).matches()) {
      throw Problem.badRequest("'resource' must match " + RESOURCE.pattern() + ", was '" + resource + "'");
    }
    List<String> groups = groups(body.getValue("groups"));
    Map<String, String> labels = labels(body.getValue("labels"));
    if (!options.knows(resource)) {
      throw Problem.unknownResource(resource);
    }
    // A well-formed start the cloud says no to: checked after the body, as a real cloud would. A counted
    // start meets the refusal in force when it arrived.
    FaultSettings arrival = ctx.get(CallFaults.ARRIVAL_FAULTS);
    Problem refusal = (arrival != null ? arrival : faults.get()).startError().problem(resource);
    if (refusal != null) {
      throw refusal;
    }
    registry.create(resource, groups, labels)
        .onSuccess(vm -> {
          ctx.response().putHeader("Location", "/api/vms/" + vm.id());
          json(ctx, 201, vm.toJson());
        })
        .onFailure(ctx::fail);
  }

  private static List<String> groups(Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array) || array.size() > MAX_GROUPS) {
      throw Problem.badRequest("'groups' must be an array of at most " + MAX_GROUPS + " names");
    }
    Set<String> groups = new LinkedHashSet<>();
    for (Object group : array) {
      if (!(group instanceof String name) || !GROUP.matcher(name).matches()) {
        throw Problem.badRequest("every group must be a string matching " + GROUP.pattern()
            + ", was " + (group instanceof String ? "'" + group + "'" : String.valueOf(group)));
      }
      groups.add(name);
    }
    return new ArrayList<>(groups);
  }

  private static Map<String, String> labels(Object value) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof JsonObject object) || object.size() > MAX_LABELS) {
      throw Problem.badRequest("'labels' must be an object of at most " + MAX_LABELS + " string values");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (String key : object.fieldNames()) {
      Object label = object.getValue(key);
      if (!LABEL_KEY.matcher(key).matches()) {
        throw Problem.badRequest("every label name must match " + LABEL_KEY.pattern() + ", was '" + key + "'");
      }
      if (!(label instanceof String text) || !LABEL_VALUE.matcher(text).matches()) {
        throw Problem.badRequest("label '" + key + "' must be a string matching " + LABEL_VALUE.pattern() + ", was "
            + (label instanceof String ? "'" + label + "'" : String.valueOf(label)));
      }
      labels.put(key, text);
    }
    return labels;
  }

  /** {@code ?resource=r} and any number of {@code ?label=key=value}: only the VMs that match all of them. */
  private void list(RoutingContext ctx) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String selector : ctx.queryParams().getAll("label")) {
      int eq = selector.indexOf('=');
      if (eq <= 0) {
        throw Problem.badRequest("'label' must be key=value, was '" + selector + "'");
      }
      String key = selector.substring(0, eq);
      String wanted = selector.substring(eq + 1);
      String earlier = labels.putIfAbsent(key, wanted);
      if (earlier != null && !earlier.equals(wanted)) {
        throw Problem.badRequest("label '" + key + "' asked for twice with different values");
      }
    }
    JsonArray vms = new JsonArray();
    registry.list(ctx.queryParams().get("resource"), labels).forEach(vm -> vms.add(vm.toJson()));
    json(ctx, 200, vms);
  }

  private void updateFaults(RoutingContext ctx) {
    JsonObject patch = jsonBody(ctx);
    try {
      faults.set(faults.get().merge(patch));
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest(e.getMessage());
    }
    LOG.info("faults now {}", faults.get().toJson().encode());
    if (!faults.get().holdBoots()) {
      registry.releaseHeldBoots();
    }
    json(ctx, 200, faults.get().toJson());
  }

  private static JsonObject jsonBody(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw Problem.badRequest("the body is not a JSON object: " + e.getMessage());
    }
    if (body == null) {
      throw Problem.badRequest("a JSON object body is required");
    }
    return body;
  }

  private void renderFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    Problem problem;
    if (failure instanceof Problem known) {
      problem = known;
    } else if (failure == null) {
      problem = Problem.forStatus(ctx.statusCode(), "the request was refused");
    } else {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
      problem = Problem.forStatus(500, "the mock cloud failed: " + failure);
    }
    problem.send(ctx.response());
  }

  private static void json(RoutingContext ctx, int status, Object body) {
    String encoded = body instanceof JsonObject object ? object.encode() : ((JsonArray) body).encode();
    ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(encoded);
  }
}
