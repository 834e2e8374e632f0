package dev.smartgateway.cluster;

import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import dev.smartgateway.lifecycle.Coordination;
import dev.smartgateway.lifecycle.InstanceView;
import dev.smartgateway.lifecycle.LifecycleState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Stops by hand across members (admin API): a member asked to stop a VM another manages sends the ask to that
 * member's address on the clustered event bus ({@code smart-gateway.stop.<member id>}), which stops it as if asked
 * itself and answers with its view of the VM — or with the error it refused with (type and detail, so the asking
 * member answers the same problem). Asks time out after {@link #TIMEOUT_MS} (a member that left answers nothing).
 */
final class StopAsks {

  static final long TIMEOUT_MS = 10_000;
  private static final String ADDRESS = "smart-gateway.stop.";

  private final Vertx vertx;
  private MessageConsumer<JsonObject> consumer;

  StopAsks(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Void> serve(String member, Coordination.Stops stops) {
    consumer = vertx.eventBus().consumer(ADDRESS + member, message -> {
      JsonObject ask = message.body();
      stops.stop(ask.getString("key"), ask.getBoolean("force", false)).onComplete(ar -> {
        if (ar.succeeded()) {
          message.reply(encode(ar.result()));
        } else if (ar.cause() instanceof GatewayException e) {
          message.fail(e.type().status(), e.type().name() + "\n" + e.detail());
        } else {
          message.fail(409, ErrorType.CONFLICT.name() + "\n" + ar.cause());
        }
      });
    });
    return consumer.completion();
  }

  Future<InstanceView> ask(String member, String key, boolean force) {
    return vertx.eventBus().<JsonObject>request(ADDRESS + member, new JsonObject().put("key", key).put("force", force),
            new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
        .map(reply -> decode(reply.body()))
        .recover(err -> Future.failedFuture(refusal(member, err)));
  }

  Future<Void> close() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private static GatewayException refusal(String member, Throwable err) {
    if (err instanceof ReplyException reply && reply.getMessage() != null && reply.getMessage().contains("\n")) {
      String text = reply.getMessage();
      try {
        return new GatewayException(ErrorType.valueOf(text.substring(0, text.indexOf('\n'))),
            text.substring(text.indexOf('\n') + 1));
      } catch (IllegalArgumentException e) {
        // an error type this member does not know: said as a conflict below
      }
    }
    return new GatewayException(ErrorType.CONFLICT, "the managing cluster member " + member + " did not stop it: "
        + err.getMessage());
  }

  static JsonObject encode(InstanceView v) {
    return new JsonObject().put("resource", v.resource()).put("groups", new JsonArray(v.groups()))
        .put("instanceId", v.instanceId()).put("ref", v.ref()).put("state", v.state().name())
        .put("endpoint", v.endpoint()).put("inFlight", v.inFlight()).put("waiting", v.waiting())
        .put("createdAt", v.createdAt()).put("readyAt", v.readyAt()).put("manager", v.manager());
  }

  static InstanceView decode(JsonObject j) {
    return new InstanceView(j.getString("resource"), j.getJsonArray("groups").getList().stream().map(String::valueOf)
        .toList(), j.getString("instanceId"), j.getString("ref"), LifecycleState.valueOf(j.getString("state")),
        j.getString("endpoint"), j.getInteger("inFlight", 0), j.getInteger("waiting", 0), j.getLong("createdAt", 0L),
        j.getLong("readyAt", 0L), j.getString("manager"), false);
  }
}
