package dev.smartgateway.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /admin/usage?from=&to=}: instance-seconds per resource and group set — what a cloud bill follows. */
final class UsageApi {

  private final AdminContext admin;

  UsageApi(AdminContext admin) {
    this.admin = admin;
  }

  void mount(Router router) {
    router.get("/admin/usage").handler(this::usage);
  }

  private void usage(RoutingContext ctx) {
    AdminParams params = new AdminParams(ctx);
    long now = System.currentTimeMillis();
    long from = params.time("from", now - 24 * 3600_000L);
    long to = params.time("to", now);
    if (to <= from) {
      params.problem("to must be after from");
    }
    if (params.refused()) {
      return;
    }
    admin.flush().get().compose(v -> admin.store().usage(from, to, now)).onSuccess(totals -> {
      JsonArray out = new JsonArray();
      double sum = 0;
      for (var total : totals) {
        out.add(AdminJson.usage(total));
        sum += total.instanceSeconds();
      }
      AdminResponses.json(ctx, 200, new JsonObject().put("from", from).put("to", to)
          .put("usage", out).put("totalInstanceSeconds", Math.round(sum * 1000) / 1000.0));
    }).onFailure(err -> AdminResponses.storeFailure(ctx, err));
  }
}
