package dev.smartgateway.admin;

import dev.smartgateway.config.AdminConfig;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@code POST /admin/fanout} (DESIGN section 9): one call sends a request to many resources, starting each as
 * needed, in parallel under a concurrency bound, and streams one NDJSON line per target as it completes
 * ({@link FanoutLine}). The requests go through the gateway's public listener, so they are held, start VMs,
 * are access-logged and limited exactly like anyone's; a gateway error for one target (502 boot-failed, 404
 * unknown-resource) is that target's line, not the fan-out's failure.
 *
 * <p>The answer is 200 {@code application/x-ndjson}, chunked, with {@code X-Fanout-Targets: N} in its head
 * (sent before the first line), then N lines in completion order. No target at all (an empty list, or a pattern
 * that matched nothing) is not an error: 200, {@code X-Fanout-Targets: 0}, an empty body. A request that cannot
 * be run is refused whole before anything is sent: 400 {@code invalid-settings} listing every problem (more
 * targets than {@code admin.fanout.maxTargets} included), 400 {@code bad-request} for a body that is not a JSON
 * object.
 *
 * <p>Each fan-out gets an HTTP client of its own ({@link FanoutRun#client}), closed when it ends.
 */
public final class Fanout {

  static final String TARGETS_HEADER = "X-Fanout-Targets";
  static final String NDJSON = "application/x-ndjson";

  private final Vertx vertx;
  private final AdminConfig limits;
  private final PublicEndpoint gateway;
  private final Supplier<Future<Collection<String>>> known;
  private final Set<Running> running = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * @param gateway where the gateway's public listener is
   * @param known   the resource names a pattern is matched against (configured, registered at run time, or with
   *                instances now); its future may complete on any context
   */
  public Fanout(Vertx vertx, AdminConfig limits, PublicEndpoint gateway, Supplier<Future<Collection<String>>> known) {
    this.vertx = vertx;
    this.limits = limits;
    this.gateway = gateway;
    this.known = known;
  }

  /** {@code POST /admin/fanout}; the body has been read (a {@code BodyHandler} ran before). */
  public void handle(RoutingContext ctx) {
    if (closed) {
      AdminProblems.respond(ctx, ErrorType.SHUTTING_DOWN, "the admin API is shutting down");
      return;
    }
    JsonObject json;
    try {
      json = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      AdminProblems.respond(ctx, ErrorType.BAD_REQUEST, "the body is not a JSON object: " + e.getMessage());
      return;
    }
    if (json == null) {
      AdminProblems.respond(ctx, ErrorType.BAD_REQUEST, "a JSON object is required, e.g. "
          + "{\"targets\": [\"r1\"], \"groups\": [\"g1\"], \"path\": \"/health\"}");
      return;
    }
    FanoutRequest spec;
    try {
      spec = FanoutRequestReader.read(json, limits);
    } catch (FanoutRequestReader.Invalid e) {
      invalid(ctx, e.errors());
      return;
    }
    Context context = vertx.getOrCreateContext();
    targets(spec).onComplete(resolved -> context.runOnContext(v -> {
      if (resolved.failed()) {
        fail(ctx, resolved.cause());
      } else if (resolved.result().size() > limits.fanoutMaxTargets()) {
        invalid(ctx, new JsonArray().add(new JsonObject().put("key", "pattern").put("reason", "matches "
            + resolved.result().size() + " resources, more than admin.fanout.maxTargets (" + limits.fanoutMaxTargets() + ")")));
      } else if (!ctx.response().closed()) {
        stream(ctx.response(), spec, resolved.result(), context);
      }
    }));
  }

  /** Requests in flight now, over every fan-out (for tests, metrics and the console). */
  public int inFlight() {
    return running.stream().mapToInt(r -> r.run.inFlight()).sum();
  }

  /**
   * Refuses new fan-outs and cuts the running ones: their requests are reset and their responses closed
   * unfinished, so that a reader can tell a cut stream from a complete one.
   */
  public Future<Void> close() {
    closed = true;
    List<Future<Void>> closing = new ArrayList<>();
    for (Running r : running) {
      r.context.runOnContext(v -> r.run.abort());
      closing.add(r.done);
    }
    return Future.join(closing).mapEmpty();
  }

  /** The targets named, or the known resource names the pattern matches, sorted. */
  private Future<List<String>> targets(FanoutRequest spec) {
    if (spec.targets() != null) {
      return Future.succeededFuture(spec.targets());
    }
    try {
      return known.get().map(names -> ResourceNames.matching(spec.pattern(), names));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private void stream(HttpServerResponse response, FanoutRequest spec, List<String> targets, Context context) {
    response.setStatusCode(200)
        .putHeader(HttpHeaders.CONTENT_TYPE, NDJSON)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader(TARGETS_HEADER, Integer.toString(targets.size()));
    if (targets.isEmpty()) {
      response.end();
      return;
    }
    response.setChunked(true).writeHead();
    HttpClientAgent client = FanoutRun.client(vertx, spec.concurrency(), gateway.tls());
    FanoutRun run = new FanoutRun(vertx, client, spec, gateway, targets, response);
    Promise<Void> done = Promise.promise();
    Running entry = new Running(run, context, done.future());
    // Listed before it starts, so that inFlight() never misses a request of it.
    running.add(entry);
    run.start().eventually(client::close).onComplete(v -> {
      running.remove(entry);
      done.complete();
    });
  }

  private static void invalid(RoutingContext ctx, JsonArray errors) {
    AdminProblems.respond(ctx, new GatewayException(ErrorType.INVALID_SETTINGS,
        errors.size() + " problem(s) in the fan-out request; see errors"), errors);
  }

  private static void fail(RoutingContext ctx, Throwable cause) {
    if (cause instanceof GatewayException known) {
      AdminProblems.respond(ctx, known);
    } else {
      AdminProblems.respond(ctx, ErrorType.STORE_UNAVAILABLE,
          "the resource names to match the pattern against could not be read: " + cause.getMessage());
    }
  }

  private record Running(FanoutRun run, Context context, Future<Void> done) {
  }
}
