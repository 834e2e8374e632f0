package dev.smartgateway.it;

import dev.smartgateway.Gateway;
import dev.smartgateway.lifecycle.LifecycleEvent;
import dev.smartgateway.lifecycle.LifecycleEvent.Type;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Every lifecycle event one gateway publishes from its subscription on, so that a test waits for what the
 * gateway did (this VM is DRAINING, that one FAILED) instead of sleeping, and can check the order of what
 * happened. A hook ({@link #onceOn}) runs inside the transition itself, on the lifecycle's control context,
 * before the gateway takes its next step: the one place a test can act "while the VM drains".
 */
final class LifecycleRecorder implements AutoCloseable {

  private final List<LifecycleEvent> events = new CopyOnWriteArrayList<>();
  private final List<Hook> hooks = new CopyOnWriteArrayList<>();
  private final Runnable unsubscribe;

  private LifecycleRecorder(Gateway gateway) {
    this.unsubscribe = gateway.lifecycle().events().subscribe(this::on);
  }

  static LifecycleRecorder of(Gateway gateway) {
    return new LifecycleRecorder(gateway);
  }

  private void on(LifecycleEvent event) {
    events.add(event);
    for (Hook hook : hooks) {
      if (hook.type == event.type() && Objects.equals(hook.instanceId, event.instanceId()) && hooks.remove(hook)) {
        hook.action.accept(event);
      }
    }
  }

  /** Runs {@code action} once, inside the next {@code type} transition of the instance (control context). */
  void onceOn(Type type, String instanceId, Consumer<LifecycleEvent> action) {
    hooks.add(new Hook(type, instanceId, action));
  }

  List<LifecycleEvent> all() {
    return List.copyOf(events);
  }

  /** The types of the instance's events so far, in order. */
  List<Type> typesOf(String instanceId) {
    return events.stream().filter(e -> Objects.equals(e.instanceId(), instanceId)).map(LifecycleEvent::type).toList();
  }

  Optional<LifecycleEvent> first(Type type, String instanceId) {
    return events.stream().filter(e -> e.type() == type && Objects.equals(e.instanceId(), instanceId)).findFirst();
  }

  /** The first {@code type} event of the instance, waiting for it up to the harness deadline. */
  LifecycleEvent await(Type type, String instanceId) {
    return await(type, instanceId, Harness.DEADLINE);
  }

  LifecycleEvent await(Type type, String instanceId, Duration deadline) {
    Harness.eventually(type + " of " + instanceId + " (seen: " + events + ")", deadline,
        () -> first(type, instanceId).isPresent());
    return first(type, instanceId).orElseThrow();
  }

  /** The {@code n}-th (from 1) {@code type} event of the instance, waiting for it. */
  LifecycleEvent awaitNth(int n, Type type, String instanceId) {
    Harness.eventually(n + " x " + type + " of " + instanceId, () -> count(type, instanceId) >= n);
    return events.stream().filter(e -> e.type() == type && Objects.equals(e.instanceId(), instanceId))
        .skip(n - 1).findFirst().orElseThrow();
  }

  long count(Type type, String instanceId) {
    return events.stream().filter(e -> e.type() == type && Objects.equals(e.instanceId(), instanceId)).count();
  }

  @Override
  public void close() {
    unsubscribe.run();
  }

  @Override
  public String toString() {
    return events.toString();
  }

  private record Hook(Type type, String instanceId, Consumer<LifecycleEvent> action) {
  }
}
