package dev.smartgateway.proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request on the {@code access} logger (README "Logs"): method, uri, resource, groups,
 * instance, status, waitMs (time held for a VM), totalMs, bytesIn, bytesOut, and error for failures.
 * Written with a StringBuilder rather than a JSON tree: on the warm path a tree per request cost about a
 * quarter of the gateway's throughput (bench/README.md).
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
    StringBuilder line = new StringBuilder(192 + uri.length());
    line.append('{');
    string(line, "method", method).append(',');
    string(line, "uri", uri).append(',');
    string(line, "resource", resource).append(',');
    string(line, "groups", groups).append(',');
    string(line, "instance", instance).append(',');
    number(line, "status", status).append(',');
    number(line, "waitMs", waitMs).append(',');
    number(line, "totalMs", totalMs).append(',');
    number(line, "bytesIn", bytesIn).append(',');
    number(line, "bytesOut", bytesOut);
    if (error != null) {
      string(line.append(','), "error", error);
    }
    log.info(line.append('}').toString());
  }

  private static StringBuilder number(StringBuilder line, String name, long value) {
    return line.append('"').append(name).append("\":").append(value);
  }

  private static StringBuilder string(StringBuilder line, String name, String value) {
    line.append('"').append(name).append("\":");
    if (value == null) {
      return line.append("null");
    }
    line.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> line.append("\\\"");
        case '\\' -> line.append("\\\\");
        case '\n' -> line.append("\\n");
        case '\r' -> line.append("\\r");
        case '\t' -> line.append("\\t");
        default -> {
          if (c < 0x20) {
            line.append(String.format("\\u%04x", (int) c));
          } else {
            line.append(c);
          }
        }
      }
    }
    return line.append('"');
  }
}
