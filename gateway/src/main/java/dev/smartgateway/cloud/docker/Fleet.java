package dev.smartgateway.cloud.docker;

import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceEventStream;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the provider's parts share: the containers it follows, by name, and the stream their changes are reported
 * on, with the settings and the API client. Confined to the provider's context, like everything it holds.
 */
final class Fleet {

  final Vertx vertx;
  final Context context;
  final DockerSettings settings;
  final DockerApi api;
  /** Null for a provider created without an owner. */
  final String owner;
  final InstanceEventStream events = new InstanceEventStream();
  /** Every container the provider follows, by name (= instance id); ended ones until forgotten. */
  final Map<String, TrackedContainer> containers = new LinkedHashMap<>();
  boolean closed;

  Fleet(Vertx vertx, Context context, DockerSettings settings, DockerApi api, String owner) {
    this.vertx = vertx;
    this.context = context;
    this.settings = settings;
    this.api = api;
    this.owner = owner;
  }

  Instance instance(TrackedContainer c) {
    return c.toInstance(settings.host());
  }

  /** Reports the container's current state to the gateway. */
  void push(TrackedContainer c) {
    events.push(instance(c));
  }

  static String shortId(String containerId) {
    return containerId == null ? "?" : containerId.substring(0, Math.min(12, containerId.length()));
  }
}
