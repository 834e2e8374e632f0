package dev.smartgateway.cloud.docker;

import dev.smartgateway.cloud.OnShutdown;
import java.time.Duration;
import java.util.Map;

/**
 * The parsed {@code provider} section of a {@code docker} provider.
 *
 * @param endpoint    where the Docker Engine API listens
 * @param host        the address containers serve on (host networking) or are published on, and the gateway
 *                    connects to
 * @param forgetAfter how long a stopped or failed container stays visible to {@code describe} once it is removed
 * @param onShutdown  what {@code close()} does with running containers
 * @param resources   how to run each resource, by id
 */
record DockerSettings(DockerEndpoint endpoint, String host, Duration forgetAfter, OnShutdown onShutdown,
                      Map<String, ContainerSpec> resources) {

  DockerSettings {
    resources = Map.copyOf(resources);
  }
}
