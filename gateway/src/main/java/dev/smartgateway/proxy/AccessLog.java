package dev.smartgateway.proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log, the first {@link RequestHook}: one JSON line per request on the {@code access} logger
 * (README "Logs"): method, uri, resource, groups, instance, status, waitMs (time held for a VM), totalMs,
 * bytesIn, bytesOut, and error for failures. Written with a StringBuilder rather than a JSON tree: on the warm
 * path a tree per request cost about a quarter of the gateway's throughput (bench/README.md). Off when the
 * logger is (SMART_GATEWAY_ACCESS_LOG=OFF in logback.xml): then no line is even built.
 */
public final class AccessLog implements RequestHook {

  private static final Logger log = LoggerFactory.getLogger("access");

  @Override
  public void requestFinished(RequestRecord record) {
    if (log.isInfoEnabled()) {
      log.info(line(record));
    }
  }

  static String line(RequestRecord r) {
    StringBuilder line = new StringBuilder(192 + r.uri().length());
    line.append('{');
    string(line, "method", r.method()).append(',');
    string(line, "uri", r.uri()).append(',');
    string(line, "resource", r.resource()).append(',');
    string(line, "groups", r.groups() == null ? null : r.groups().toString()).append(',');
    string(line, "instance", r.instance()).append(',');
    number(line, "status", r.status()).append(',');
    number(line, "waitMs", r.waitMs()).append(',');
    number(line, "totalMs", r.totalMs()).append(',');
    number(line, "bytesIn", r.bytesIn()).append(',');
    number(line, "bytesOut", r.bytesOut());
    if (r.error() != null) {
      string(line.append(','), "error", r.error());
    }
    return line.append('}').toString();
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
