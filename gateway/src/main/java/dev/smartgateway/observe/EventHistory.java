package dev.smartgateway.observe;

import dev.smartgateway.lifecycle.LifecycleEvent;
import dev.smartgateway.store.HistoryEvent;
import dev.smartgateway.store.StoreWrites;

import java.util.function.Consumer;

/**
 * The event history (DESIGN section 9): every lifecycle event and every task transition is kept in the
 * store and sent live to the watchers of {@code /admin/events/stream}. It learns of lifecycle events as a
 * subscriber (control context) and of task transitions from the task book; recording is an enqueue, never
 * a wait.
 */
public final class EventHistory implements Consumer<LifecycleEvent> {

  private final String gateway;
  private final StoreWrites writes;
  private final EventFeed feed;

  public EventHistory(String gateway, StoreWrites writes, EventFeed feed) {
    this.gateway = gateway;
    this.writes = writes;
    this.feed = feed;
  }

  @Override
  public void accept(LifecycleEvent event) {
    record(HistoryEvents.of(event, gateway));
  }

  public void record(HistoryEvent event) {
    writes.event(event);
    feed.publish(event);
  }

  public EventFeed feed() {
    return feed;
  }
}
