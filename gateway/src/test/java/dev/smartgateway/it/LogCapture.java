package dev.smartgateway.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The lines one logger writes while a test runs: for behaviour that shows nowhere else, such as which layer
 * retried a cloud call (the provider, at once, or the stopper, a second later). Close it to detach.
 */
final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(String loggerName) {
    this.logger = (Logger) LoggerFactory.getLogger(loggerName);
    appender.setName("capture-" + loggerName);
    appender.start();
    logger.addAppender(appender);
  }

  static LogCapture of(String loggerName) {
    return new LogCapture(loggerName);
  }

  static LogCapture of(Class<?> type) {
    return new LogCapture(type.getName());
  }

  /** The formatted messages so far, oldest first. */
  List<String> messages() {
    synchronized (appender) { // AppenderBase.doAppend holds this lock while it adds
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  /** The messages containing every one of {@code parts}. */
  List<String> matching(String... parts) {
    return messages().stream().filter(m -> {
      for (String part : parts) {
        if (!m.contains(part)) {
          return false;
        }
      }
      return true;
    }).toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
