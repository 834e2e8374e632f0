package dev.smartgateway.proxy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.smartgateway.access.GroupSet;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLogTest {

  private final Logger logger = (Logger) LoggerFactory.getLogger("access");
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private Level previous;

  @BeforeEach
  void capture() {
    previous = logger.getLevel();
    logger.setLevel(Level.INFO);
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
    logger.setLevel(previous);
  }

  @Test
  void eachLineIsAJsonObjectWithEveryField() {
    new AccessLog().requestFinished(new RequestRecord("GET", "/smart_proxy/demo/g1/a?x=1", "demo", GroupSet.of("g1"),
        "vm-1", 200, 12, 15, 0, 494, null));

    JsonObject line = new JsonObject(lines.list.get(0).getFormattedMessage());
    assertThat(line.getString("method")).isEqualTo("GET");
    assertThat(line.getString("uri")).isEqualTo("/smart_proxy/demo/g1/a?x=1");
    assertThat(line.getString("resource")).isEqualTo("demo");
    assertThat(line.getString("groups")).isEqualTo("g1");
    assertThat(line.getString("instance")).isEqualTo("vm-1");
    assertThat(line.getInteger("status")).isEqualTo(200);
    assertThat(line.getLong("waitMs")).isEqualTo(12);
    assertThat(line.getLong("bytesOut")).isEqualTo(494);
    assertThat(line.getString("protocol")).isEqualTo("HTTP/1.1");
    assertThat(line.containsKey("error")).isFalse();
  }

  @Test
  void theProtocolSaysHowTheClientSpoke() {
    new AccessLog().requestFinished(new RequestRecord("GET", "/smart_proxy/demo/g1/h2", "demo", GroupSet.of("g1"),
        "vm-1", 200, 0, 3, 0, 10, null, false, -1, null, "HTTP/2"));

    JsonObject line = new JsonObject(lines.list.get(0).getFormattedMessage());
    assertThat(line.getString("protocol")).isEqualTo("HTTP/2");
  }

  @Test
  void hostileTextCannotBreakOutOfItsField() {
    new AccessLog().requestFinished(new RequestRecord("GET", "/x\"},{\"status\":1\\\n\u0001", null, null, null, 400,
        0, 1, 0, 0, "bad: \"quoted\"\r\n"));

    JsonObject line = new JsonObject(lines.list.get(0).getFormattedMessage());
    assertThat(line.getString("uri")).isEqualTo("/x\"},{\"status\":1\\\n\u0001");
    assertThat(line.getInteger("status")).isEqualTo(400);
    assertThat(line.getString("resource")).isNull();
    assertThat(line.getString("error")).isEqualTo("bad: \"quoted\"\r\n");
  }
}
