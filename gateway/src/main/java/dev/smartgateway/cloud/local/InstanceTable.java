package dev.smartgateway.cloud.local;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.Instance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The instances a local provider tracks, by id, in start order: what {@code describe} and {@code list} report. An
 * ended instance stays visible for a while ({@code forgetAfter}), so that a caller that asks just after the end still
 * learns how it ended, then is forgotten. Confined to the provider's context.
 *
 * @param <T> the adapter's mutable view of one instance
 */
public final class InstanceTable<T> {

  private final Vertx vertx;
  private final String type;
  private final Function<T, Instance> view;
  private final Map<String, T> byId = new LinkedHashMap<>();
  private final Map<String, Long> forgetTimers = new HashMap<>();

  /**
   * @param type the adapter's name, for "no {@code type} instance" failures
   * @param view how an instance is reported
   */
  public InstanceTable(Vertx vertx, String type, Function<T, Instance> view) {
    this.vertx = vertx;
    this.type = type;
    this.view = view;
  }

  public void put(String id, T instance) {
    byId.put(id, instance);
  }

  /** The instance, or null if it is unknown or forgotten. */
  public T get(String id) {
    return byId.get(id);
  }

  public Collection<T> all() {
    return byId.values();
  }

  /** INSTANCE_NOT_FOUND for an id never known or already forgotten. */
  public Future<Instance> describe(String id) {
    T instance = byId.get(id);
    return instance == null
        ? Future.failedFuture(notFound(id))
        : Future.succeededFuture(view.apply(instance));
  }

  public List<Instance> list() {
    return byId.values().stream().map(view).toList();
  }

  public CloudException notFound(String id) {
    return new CloudException(CloudException.Kind.INSTANCE_NOT_FOUND, "no " + type + " instance " + id);
  }

  /** Forgets the ended {@code instance} after {@code after}, unless the id names another by then. */
  public void forgetAfter(String id, T instance, Duration after) {
    forgetTimers.put(id, vertx.setTimer(after.toMillis(), t -> {
      forgetTimers.remove(id);
      byId.remove(id, instance);
    }));
  }

  /** On close: no timer outlives the provider (the instances stay listed, as they were). */
  public void cancelForgetting() {
    forgetTimers.values().forEach(vertx::cancelTimer);
    forgetTimers.clear();
  }
}
