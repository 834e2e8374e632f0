package dev.smartgateway.cloud;

import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;

import java.util.ArrayDeque;

/**
 * A ready-made {@link ReadStream} for {@link CloudProvider#events()}: the adapter calls {@link #push} for
 * every state change it learns of. Events arriving while the stream is paused are queued, never dropped:
 * a lost RUNNING event would leave requests waiting for the poll fallback. Use from one event-loop thread.
 */
public final class InstanceEventStream implements ReadStream<Instance> {

  private final ArrayDeque<Instance> pending = new ArrayDeque<>();
  private Handler<Instance> handler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  private long demand = Long.MAX_VALUE;
  private boolean ended;

  /** Emits one state change. */
  public void push(Instance instance) {
    if (ended) {
      return;
    }
    pending.add(instance);
    drain();
  }

  /** Reports a broken source (the gateway falls back to polling until events flow again). */
  public void fail(Throwable cause) {
    Handler<Throwable> h = exceptionHandler;
    if (h != null) {
      h.handle(cause);
    }
  }

  /** Ends the stream for good (the provider closed). */
  public void end() {
    if (ended) {
      return;
    }
    ended = true;
    Handler<Void> h = endHandler;
    if (h != null) {
      h.handle(null);
    }
  }

  private void drain() {
    while (demand > 0 && handler != null && !pending.isEmpty()) {
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      handler.handle(pending.poll());
    }
  }

  @Override
  public InstanceEventStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public InstanceEventStream handler(Handler<Instance> handler) {
    this.handler = handler;
    drain();
    return this;
  }

  @Override
  public InstanceEventStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public InstanceEventStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public InstanceEventStream fetch(long amount) {
    if (amount > 0) {
      demand = (demand + amount < 0) ? Long.MAX_VALUE : demand + amount;
      drain();
    }
    return this;
  }

  @Override
  public InstanceEventStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }
}
