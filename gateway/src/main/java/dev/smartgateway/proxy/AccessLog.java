package dev.smartgateway.proxy;

import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request on the {@code access} logger (README "Logs"): method, uri, resource, groups,
 * instance, status, waitMs (time held for a VM), totalMs, bytesIn, bytesOut, and error for failures.
 */
final class AccessLog {

  private static final Logger log = LoggerFactory.getLogger("access");

  private AccessLog() {
  }

  static boolean enabled() {
    return log.isInfoEnabled();
  }

  static void write(String method, String uri, String resource, String groups, String instance, int status,
                    long waitMs, long totalMs, long bytesIn, long bytesOut, String error) {
    if (!log.isInfoEnabled()) {
      return;
    }
    JsonObject line = new JsonObject()
        .put("method", method)
        .put("uri", uri)
        .put("resource", resource)
        .put("groups", groups)
        .put("instance", instance)
        .put("status", status)
        .put("waitMs", waitMs)
        .put("totalMs", totalMs)
        .put("bytesIn", bytesIn)
        .put("bytesOut", bytesOut);
    if (error != null) {
      line.put("error", error);
    }
    log.info(line.encode());
  }
}
