package dev.smartgateway.admin;

import dev.smartgateway.observe.HealthProbes;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.healthchecks.CheckResult;

/**
 * {@code /health} (the process answers) and {@code /ready} (it can serve: see {@link HealthProbes}): 200 or
 * 503 with every check's outcome. Without a token, like any prober expects (they say nothing an operator
 * would hide), and outside {@code /admin/}.
 */
final class HealthApi {

  private final HealthProbes probes;

  HealthApi(HealthProbes probes) {
    this.probes = probes;
  }

  void mount(Router router) {
    router.get("/health").handler(ctx -> AdminResponses.json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/ready").handler(ctx -> probes.ready().checkStatus().onComplete(ar -> {
      if (ar.failed()) {
        AdminResponses.json(ctx, 503, new JsonObject().put("status", "DOWN").put("outcome", "DOWN")
            .put("reason", String.valueOf(ar.cause())));
        return;
      }
      CheckResult result = ar.result();
      boolean up = Boolean.TRUE.equals(result.getUp());
      AdminResponses.json(ctx, up ? 200 : 503, result.toJson());
    }));
  }
}
