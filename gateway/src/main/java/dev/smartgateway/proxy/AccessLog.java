package dev.smartgateway.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log, the first {@link RequestHook}: one JSON line per request on the {@code access} logger
 * (README "Logs"): method, uri, resource, groups, instance, status, waitMs (time held for a VM), totalMs,
 * bytesIn, bytesOut, protocol (HTTP/1.1, HTTP/2), error for failures, and cache (HIT, MISS or none) for a resource with a response cache. Written with a StringBuilder rather than a JSON tree: on the warm
 * path a tree per request cost about a quarter of the gateway's throughput (bench/README.md). Off when the
 * logger is (SMART_GATEWAY_ACCESS_LOG=OFF in logback.xml): then no line is even built.
 *
 * <p>The logger's appender ({@link AccessLogAppender}) writes the lines to stdout from a thread of its own; a
 * line it cannot queue is counted in {@link #dropped()}, never lost silently.
 */
public final class AccessLog implements RequestHook {

  private static final String LOGGER = "access";
  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  @Override
  public void requestFinished(RequestRecord record) {
    if (log.isInfoEnabled()) {
      log.info(line(record));
    }
  }

  /**
   * Access log lines dropped since start-up because stdout did not keep up (or failed): the figure for
   * {@code smart_gateway_access_log_dropped_total} of the metrics.
   */
  public static long dropped() {
    long sum = 0;
    for (AccessLogAppender appender : appenders()) {
      sum += appender.dropped();
    }
    return sum;
  }

  /** Access log lines written to stdout since start-up. */
  public static long written() {
    long sum = 0;
    for (AccessLogAppender appender : appenders()) {
      sum += appender.written();
    }
    return sum;
  }

  /** Applies {@code server.accessLogQueue}: lines that may wait for stdout before new ones are dropped. */
  public static void queueSize(int lines) {
    for (AccessLogAppender appender : appenders()) {
      appender.setQueueSize(lines);
    }
  }

  /**
   * Waits until the lines logged so far are written (or counted as dropped), for at most {@code timeout}; blocks,
   * so never call it on an event loop. Lines still queued then are reported on stderr: a process that exits now
   * loses them.
   */
  public static void drain(Duration timeout) {
    for (AccessLogAppender appender : appenders()) {
      if (!appender.drain(timeout)) {
        LoggerFactory.getLogger(AccessLog.class).warn("access log: {} lines not yet written to stdout after {} ms",
            appender.pending(), timeout.toMillis());
      }
    }
  }

  /** The appenders of the {@code access} logger that are ours (none when logging is not logback, or in tests). */
  private static List<AccessLogAppender> appenders() {
    List<AccessLogAppender> found = new ArrayList<>();
    if (log instanceof ch.qos.logback.classic.Logger logger) {
      for (Iterator<ch.qos.logback.core.Appender<ch.qos.logback.classic.spi.ILoggingEvent>> it =
           logger.iteratorForAppenders(); it.hasNext(); ) {
        if (it.next() instanceof AccessLogAppender appender) {
          found.add(appender);
        }
      }
    }
    return found;
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
    number(line, "bytesOut", r.bytesOut()).append(',');
    string(line, "protocol", r.protocol());
    if (r.error() != null) {
      string(line.append(','), "error", r.error());
    }
    if (r.cache() != null) {
      string(line.append(','), "cache", r.cache());
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
