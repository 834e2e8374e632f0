package dev.smartgateway.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's access log, captured in memory: every line the {@code access} logger writes while open, as
 * JSON. The test configuration keeps that logger quiet; this turns it on for the test and back off after.
 */
final class AccessCapture implements AutoCloseable {

  private final Logger logger = (Logger) LoggerFactory.getLogger("access");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Level previousLevel;
  private final boolean previousAdditive;

  private AccessCapture() {
    previousLevel = logger.getLevel();
    previousAdditive = logger.isAdditive();
    appender.start();
    logger.addAppender(appender);
    logger.setAdditive(false);
    logger.setLevel(Level.INFO);
  }

  static AccessCapture start() {
    return new AccessCapture();
  }

  /** Every line so far, in order. */
  List<JsonObject> lines() {
    List<JsonObject> lines = new ArrayList<>();
    // Appended from the event loops under the appender's own lock (AppenderBase.doAppend is synchronized).
    synchronized (appender) {
      for (ILoggingEvent event : appender.list) {
        lines.add(new JsonObject(event.getFormattedMessage()));
      }
    }
    return lines;
  }

  /** The lines of one request URI (tests give every request a URI of its own). */
  List<JsonObject> linesFor(String uri) {
    return lines().stream().filter(line -> uri.equals(line.getString("uri"))).toList();
  }

  /** Waits for the line of {@code uri} (written once its answer is out) and checks it is the only one. */
  JsonObject lineFor(String uri) {
    Harness.eventually("an access log line for " + uri, Duration.ofSeconds(15), () -> !linesFor(uri).isEmpty());
    List<JsonObject> lines = linesFor(uri);
    assertThat(lines).as("access log lines for %s", uri).hasSize(1);
    return lines.get(0);
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(previousLevel);
    logger.setAdditive(previousAdditive);
    appender.stop();
  }
}
