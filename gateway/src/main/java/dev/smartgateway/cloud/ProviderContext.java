package dev.smartgateway.cloud;

import java.util.Objects;

/**
 * What a gateway tells an adapter about itself when it creates a provider (see
 * {@link CloudProviderFactory#create(io.vertx.core.Vertx, io.vertx.core.json.JsonObject, ProviderContext)}).
 * A class rather than a record so that it can grow without breaking adapters.
 */
public final class ProviderContext {

  private final String owner;

  private ProviderContext(String owner) {
    this.owner = Objects.requireNonNull(owner, "owner");
  }

  /** @param owner the identity of the gateway that creates the provider ({@code gateway.id}) */
  public static ProviderContext of(String owner) {
    return new ProviderContext(owner);
  }

  /**
   * The owner every instance the provider starts must carry: the gateway's {@code gateway.id} (or, when
   * gateways run as a cluster, the cluster's name). A short label-safe string: letters, digits, {@code .},
   * {@code _} and {@code -}, at most 63, starting and ending with a letter or digit. Report it back in
   * {@link Instance#metadata()} under {@link Instance#OWNER}.
   */
  public String owner() {
    return owner;
  }

  @Override
  public String toString() {
    return "ProviderContext[owner=" + owner + "]";
  }
}
