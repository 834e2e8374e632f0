package dev.smartgateway.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The HTTP/2 phase ({@code bench/run --only h2}): the warm path over TLS and HTTP/2, the gateway ({@code server.tls})
 * against nginx ({@code listen ... ssl http2}), both proxying to the same backend over HTTP/1.1, h2load run by run,
 * interleaved. Reads {@code h2.jsonl} (one line per h2load run) into one row per body size: requests/s, p99 and proxy
 * CPU per request of each, and the gateway/nginx ratios taken run by run.
 */
final class Http2Warm {

  private Http2Warm() {
  }

  /** One row per body size, or null when the phase did not run. */
  static JsonArray read(Path work) throws IOException {
    Map<Integer, List<JsonObject>> byBody = RunLines.byBody(work.resolve("h2.jsonl"));
    if (byBody == null) {
      return null;
    }
    JsonArray rows = new JsonArray();
    byBody.forEach((body, runs) -> {
      JsonObject row = new JsonObject().put("bodyBytes", body).put("connections", runs.get(0).getInteger("connections"))
          .put("streams", runs.get(0).getInteger("streams"));
      RunLines.versusNginx(row, runs, "gateway-h2", "nginx-h2");
      rows.add(row);
    });
    return rows;
  }

  /** The markdown section of {@link #read}'s rows. */
  static void markdown(StringBuilder md, JsonArray rows) {
    md.append("\n## HTTP/2 over TLS (warm path)\n\n");
    md.append("h2load over TLS and HTTP/2 (ALPN) to the gateway (`server.tls`) and to nginx (`listen ... ssl http2`), ")
        .append("both forwarding to the same backend over keep-alive HTTP/1.1; interleaved runs. Ratio: gateway / ")
        .append("nginx, run by run (throughput above 1 is better, p99 below 1 is better).\n\n");
    md.append("| body | connections x streams | gateway req/s | nginx req/s | ratio | gateway p99 (ms) | nginx p99 (ms) | ")
        .append("p99 ratio | CPU µs/req gateway / nginx | errors gateway / nginx |\n");
    md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Object o : rows) {
      JsonObject r = (JsonObject) o;
      JsonObject g = r.getJsonObject("gateway");
      JsonObject n = r.getJsonObject("nginx");
      md.append("| ").append(r.getInteger("bodyBytes")).append(" B | ").append(r.getInteger("connections"))
          .append(" x ").append(r.getInteger("streams"))
          .append(" | ").append(RunLines.median(g, "rps", 0)).append(" | ").append(RunLines.median(n, "rps", 0))
          .append(" | ").append(RunLines.num(r.getJsonObject("ratioThroughputVsNginx").getDouble("median"), 2))
          .append(" | ").append(RunLines.median(g, "p99Ms", 2)).append(" | ").append(RunLines.median(n, "p99Ms", 2))
          .append(" | ").append(RunLines.num(r.getJsonObject("ratioP99VsNginx").getDouble("median"), 2))
          .append(" | ").append(RunLines.median(g, "proxyCpuUsPerRequest", 1)).append(" / ")
          .append(RunLines.median(n, "proxyCpuUsPerRequest", 1))
          .append(" | ").append(g.getLong("errors")).append(" / ").append(n.getLong("errors")).append(" |\n");
    }
  }




}
