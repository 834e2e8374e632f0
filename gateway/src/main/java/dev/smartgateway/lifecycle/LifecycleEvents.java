package dev.smartgateway.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Where lifecycle events are published. Subscribers are called in subscription order on the control
 * context, right after the change: they must be quick and must not block (hand slow work elsewhere). A
 * subscriber that throws is logged and does not stop the others or the lifecycle.
 */
public final class LifecycleEvents {

  private static final Logger log = LoggerFactory.getLogger(LifecycleEvents.class);

  private final List<Consumer<LifecycleEvent>> subscribers = new CopyOnWriteArrayList<>();

  /** Adds a subscriber; the returned action removes it again. */
  public Runnable subscribe(Consumer<LifecycleEvent> subscriber) {
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }

  void publish(LifecycleEvent event) {
    for (Consumer<LifecycleEvent> subscriber : subscribers) {
      try {
        subscriber.accept(event);
      } catch (RuntimeException e) {
        log.warn("lifecycle event subscriber failed on {}: {}", event.type(), e.toString());
      }
    }
  }
}
