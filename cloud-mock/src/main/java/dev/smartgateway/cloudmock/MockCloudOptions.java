package dev.smartgateway.cloudmock;

import java.util.Objects;
import java.util.Set;

/**
 * How a {@link MockCloud} runs.
 *
 * @param host      interface the API listens on (VMs always listen on 127.0.0.1)
 * @param port      API port; 0 picks an ephemeral one
 * @param bootMinMs shortest boot delay of a VM
 * @param bootMaxMs longest boot delay of a VM (inclusive)
 * @param seed      seed of the boot-delay and fault draws; null draws a random seed
 * @param resources the only resource ids the cloud knows; empty means every id is known
 * @param h2cResources resource ids whose VMs speak h2c (HTTP/2 with prior knowledge, beside HTTP/1.1 on the same
 *                  port) and serve the gRPC service {@code mock.Echo}; {@code *} for every resource. The others'
 *                  VMs speak HTTP/1.x only
 */
public record MockCloudOptions(String host, int port, long bootMinMs, long bootMaxMs, Long seed,
                               Set<String> resources, Set<String> h2cResources) {

  /** Every VM speaking HTTP/1.x only. */
  public MockCloudOptions(String host, int port, long bootMinMs, long bootMaxMs, Long seed, Set<String> resources) {
    this(host, port, bootMinMs, bootMaxMs, seed, resources, Set.of());
  }


  static final long MAX_BOOT_MS = 86_400_000L;

  public MockCloudOptions {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be within 0..65535, was " + port);
    }
    // A day is far beyond any useful boot delay and keeps timer arithmetic clear of overflow.
    if (bootMinMs < 0 || bootMaxMs < bootMinMs || bootMaxMs > MAX_BOOT_MS) {
      throw new IllegalArgumentException("boot delay needs 0 <= min <= max <= " + MAX_BOOT_MS
          + " ms, was " + bootMinMs + ".." + bootMaxMs);
    }
    resources = Set.copyOf(resources == null ? Set.of() : resources);
    h2cResources = Set.copyOf(h2cResources == null ? Set.of() : h2cResources);
  }

  /** 127.0.0.1:9090, boot delays of 0..10 s (as in the proof of concept), random seed, any resource. */
  public static MockCloudOptions defaults() {
    return new MockCloudOptions("127.0.0.1", 9090, 0, 10_000, null, Set.of());
  }

  public MockCloudOptions withHost(String host) {
    return new MockCloudOptions(host, port, bootMinMs, bootMaxMs, seed, resources, h2cResources);
  }

  public MockCloudOptions withPort(int port) {
    return new MockCloudOptions(host, port, bootMinMs, bootMaxMs, seed, resources, h2cResources);
  }

  public MockCloudOptions withBootDelay(long minMs, long maxMs) {
    return new MockCloudOptions(host, port, minMs, maxMs, seed, resources, h2cResources);
  }

  public MockCloudOptions withSeed(Long seed) {
    return new MockCloudOptions(host, port, bootMinMs, bootMaxMs, seed, resources, h2cResources);
  }

  public MockCloudOptions withResources(Set<String> resources) {
    return new MockCloudOptions(host, port, bootMinMs, bootMaxMs, seed, resources, h2cResources);
  }

  public MockCloudOptions withH2cResources(Set<String> h2cResources) {
    return new MockCloudOptions(host, port, bootMinMs, bootMaxMs, seed, resources, h2cResources);
  }

  /** Whether the VMs of this resource speak h2c (and gRPC). */
  boolean speaksH2c(String resource) {
    return h2cResources.contains(resource) || h2cResources.contains("*");
  }

  /** Whether a start for this resource id may succeed. */
  boolean knows(String resource) {
    return resources.isEmpty() || resources.contains(resource);
  }
}
