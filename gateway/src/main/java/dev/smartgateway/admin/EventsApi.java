package dev.smartgateway.admin;

import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import dev.smartgateway.observe.EventFeed;
import dev.smartgateway.observe.HistoryEvents;
import dev.smartgateway.store.EventQuery;
import dev.smartgateway.store.HistoryEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * {@code /admin/events}: the persisted history, queried by resource, type and time; and
 * {@code /admin/events/stream}, the same entries live as server-sent events.
 */
final class EventsApi {

  static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private final AdminContext admin;

  EventsApi(AdminContext admin) {
    this.admin = admin;
  }

  void mount(Router router) {
    router.get("/admin/events").handler(this::query);
    router.get("/admin/events/stream").handler(this::stream);
  }

  private static Set<String> types(AdminParams params) {
    String types = params.string("type");
    return types == null ? Set.of() : Arrays.stream(types.split(",")).map(String::trim).filter(t -> !t.isEmpty())
        .collect(Collectors.toSet());
  }

  private void query(RoutingContext ctx) {
    AdminParams params = new AdminParams(ctx);
    long since = params.time("since", 0);
    long until = params.time("until", 0);
    long afterId = params.time("afterId", 0);
    int limit = params.integer("limit", 1000, 1, EventQuery.MAX_LIMIT);
    EventQuery query = new EventQuery(params.string("resource"), types(params), since, until, afterId, limit);
    if (params.refused()) {
      return;
    }
    admin.flush().get().compose(v -> admin.store().events(query)).onSuccess(events -> {
      JsonArray out = new JsonArray();
      events.forEach(e -> out.add(HistoryEvents.toJson(e)));
      JsonObject body = new JsonObject().put("events", out);
      if (events.size() == limit) {
        body.put("next", "afterId=" + events.get(events.size() - 1).id());
      }
      AdminResponses.json(ctx, 200, body);
    }).onFailure(err -> AdminResponses.storeFailure(ctx, err));
  }

  /**
   * Server-sent events: {@code id} is the entry's number in this gateway's live feed, so a client that
   * reconnects with {@code Last-Event-ID} gets what it missed while that is still kept. A client that does not
   * keep up (its connection's write queue full) is disconnected rather than buffered without bound; it
   * reconnects and catches up the same way.
   */
  private void stream(RoutingContext ctx) {
    AdminParams params = new AdminParams(ctx);
    String resource = params.string("resource");
    Set<String> types = types(params);
    long after = -1;
    String lastId = ctx.request().getHeader("Last-Event-ID");
    if (lastId != null) {
      try {
        after = Long.parseLong(lastId.trim());
      } catch (NumberFormatException e) {
        params.problem("Last-Event-ID: '" + lastId + "' is not an event number");
      }
    }
    if (params.refused()) {
      return;
    }
    Predicate<HistoryEvent> wanted = e -> (resource == null || resource.equals(e.resource()))
        && (types.isEmpty() || types.contains(e.type()));
    HttpServerResponse response = ctx.response();
    response.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader("X-Accel-Buffering", "no");
    Context context = Vertx.currentContext();
    Runnable[] unwatch = new Runnable[1];
    long[] heartbeat = {-1};
    Runnable end = () -> {
      if (unwatch[0] != null) {
        unwatch[0].run();
      }
      admin.vertx().cancelTimer(heartbeat[0]);
    };
    unwatch[0] = admin.feed().watch(after, n -> {
      if (wanted.test(n.event())) {
        context.runOnContext(v -> send(response, n, end));
      }
    });
    if (unwatch[0] == null) {
      AdminProblems.respond(ctx, new GatewayException(ErrorType.GATEWAY_BUSY, "too many event streams are open",
          null, Duration.ofSeconds(5), null));
      return;
    }
    response.closeHandler(v -> end.run());
    response.write(": smart-gateway events\n\n");
    heartbeat[0] = admin.vertx().setPeriodic(HEARTBEAT.toMillis(), id -> {
      if (!response.closed()) {
        response.write(": keep-alive\n\n");
      }
    });
  }

  private static void send(HttpServerResponse response, EventFeed.Numbered n, Runnable end) {
    if (response.closed() || response.ended()) {
      return;
    }
    if (response.writeQueueFull()) {
      end.run();
      response.reset();
      return;
    }
    response.write("id: " + n.seq() + "\nevent: " + n.event().category() + "\ndata: "
        + HistoryEvents.toJson(n.event()).encode() + "\n\n");
  }
}
