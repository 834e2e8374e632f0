package dev.smartgateway.cloud.fixed;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import io.vertx.core.Future;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every configured endpoint is one always-running "VM" that serves any groups (it was "started" for the
 * empty set). Stopping it only makes the gateway forget it; the next request "starts" it again at once.
 */
final class StaticCloudProvider implements CloudProvider {

  private final Map<String, URI> endpoints;

  StaticCloudProvider(Map<String, URI> endpoints) {
    this.endpoints = endpoints;
  }

  @Override
  public Future<Instance> start(String resource, Set<String> groups) {
    URI endpoint = endpoints.get(resource);
    if (endpoint == null) {
      return Future.failedFuture(new CloudException(CloudException.Kind.UNKNOWN_RESOURCE,
          "no endpoint configured for resource '" + resource + "'"));
    }
    return Future.succeededFuture(instance(resource, endpoint));
  }

  @Override
  public Future<Instance> describe(String instanceId) {
    for (Map.Entry<String, URI> e : endpoints.entrySet()) {
      if (id(e.getKey()).equals(instanceId)) {
        return Future.succeededFuture(instance(e.getKey(), e.getValue()));
      }
    }
    return Future.failedFuture(new CloudException(CloudException.Kind.INSTANCE_NOT_FOUND, "no instance " + instanceId));
  }

  @Override
  public Future<Void> stop(String instanceId) {
    return Future.succeededFuture();
  }

  /** Nothing to adopt: a static endpoint is "started" instantly by the first request. */
  @Override
  public Future<List<Instance>> list() {
    return Future.succeededFuture(List.of());
  }

  private static Instance instance(String resource, URI endpoint) {
    return new Instance(id(resource), resource, Set.of(), InstanceState.RUNNING, endpoint, Map.of("static", "true"));
  }

  private static String id(String resource) {
    return "static:" + resource;
  }
}
