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
 * @param metadata provider details shown to operators; the gateway interprets only {@link #OWNER}
 */
public record Instance(String id, String resource, Set<String> groups, InstanceState state,
                       URI endpoint, Map<String, String> metadata) {

  /**
   * The metadata key of the instance's owner: the {@link ProviderContext#owner()} of the provider that
   * started it. A gateway adopts and stops only instances whose owner is its own; an instance without one
   * (started before owners existed, or by an adapter that cannot record them) is never adopted.
   */
  public static final String OWNER = "owner";

  public Instance {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(state, "state");
    groups = Set.copyOf(groups == null ? Set.of() : groups);
    metadata = Map.copyOf(metadata == null ? Map.of() : metadata);
  }

  /** The instance's owner ({@link #OWNER}), or null if the provider recorded none. */
  public String owner() {
    return metadata.get(OWNER);
  }

  public Instance withState(InstanceState newState) {
    return new Instance(id, resource, groups, newState, endpoint, metadata);
  }
}
