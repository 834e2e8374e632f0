package dev.smartgateway.cloud;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One VM as a provider reports it.
 *
 * @param id       provider-unique, stable for the VM's whole life
 * @param resource the resource it serves
 * @param groups   the groups it was started for (a request holding a superset may use it)
 * @param state    the provider's state
 * @param endpoint base URI of the VM's HTTP server ({@code http://host:port}); null until RUNNING
 * @param metadata free-form provider details shown to operators (never interpreted by the gateway)
 */
public record Instance(String id, String resource, Set<String> groups, InstanceState state,
                       URI endpoint, Map<String, String> metadata) {

  public Instance {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(state, "state");
    groups = Set.copyOf(groups == null ? Set.of() : groups);
    metadata = Map.copyOf(metadata == null ? Map.of() : metadata);
  }

  public Instance withState(InstanceState newState) {
    return new Instance(id, resource, groups, newState, endpoint, metadata);
  }
}
