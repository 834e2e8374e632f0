package dev.smartgateway.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The "cached hit" phase ({@code bench/run --only cache}): the same answer served from the gateway's response cache
 * and from nginx's {@code proxy_cache}, wrk run by run, interleaved. Reads {@code cache.jsonl} (one line per wrk
 * run, as the warm path's) into one row per body size: requests/s, p99 and proxy CPU per request of each, and the
 * gateway/nginx ratios taken run by run.
 */
final class CachedHits {

  private CachedHits() {
  }

  /** One row per body size, or null when the phase did not run. */
  static JsonArray read(Path work) throws IOException {
    Map<Integer, List<JsonObject>> byBody = RunLines.byBody(work.resolve("cache.jsonl"));
    if (byBody == null) {
      return null;
    }
    JsonArray rows = new JsonArray();
    byBody.forEach((body, runs) -> {
      JsonObject row = new JsonObject().put("bodyBytes", body).put("connections", runs.get(0).getInteger("connections"));
      RunLines.versusNginx(row, runs, "gateway-cache", "nginx-cache");
      rows.add(row);
    });
    return rows;
  }

  /** The markdown section of {@link #read}'s rows. */
  static void markdown(StringBuilder md, JsonArray rows) {
    md.append("\n## Cached hit\n\n");
    md.append("The same answer (`Cache-Control: max-age=3600`) served from the gateway's response cache and from ")
        .append("nginx's `proxy_cache` (in memory and its page cache), after a miss that filled each.\n\n");
    md.append("| body | connections | gateway req/s | nginx req/s | ratio | gateway p99 (ms) | nginx p99 (ms) | ")
        .append("p99 ratio | CPU µs/req gateway / nginx |\n");
    md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Object o : rows) {
      JsonObject r = (JsonObject) o;
      JsonObject g = r.getJsonObject("gateway");
      JsonObject n = r.getJsonObject("nginx");
      md.append("| ").append(r.getInteger("bodyBytes")).append(" B | ").append(r.getInteger("connections"))
          .append(" | ").append(RunLines.median(g, "rps", 0)).append(" | ").append(RunLines.median(n, "rps", 0))
          .append(" | ").append(RunLines.num(r.getJsonObject("ratioThroughputVsNginx").getDouble("median"), 2))
          .append(" | ").append(RunLines.median(g, "p99Ms", 2)).append(" | ").append(RunLines.median(n, "p99Ms", 2))
          .append(" | ").append(RunLines.num(r.getJsonObject("ratioP99VsNginx").getDouble("median"), 2))
          .append(" | ").append(RunLines.median(g, "proxyCpuUsPerRequest", 1)).append(" / ")
          .append(RunLines.median(n, "proxyCpuUsPerRequest", 1)).append(" |\n");
    }
  }




}
