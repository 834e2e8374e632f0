package dev.smartgateway.cloud.process;

import dev.smartgateway.cloud.OnShutdown;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The parsed {@code provider} section of a {@code process} provider.
 *
 * @param host        the address children listen on and the adapter connects to
 * @param stateDir    where pid files (and the children's output files) live
 * @param onShutdown  what {@code close()} does with running children
 * @param forgetAfter how long a stopped or failed child stays visible to {@code describe} and {@code list}
 * @param resources   how to run each resource, by id
 */
record ProcessSettings(String host, Path stateDir, OnShutdown onShutdown, Duration forgetAfter,
                       Map<String, ProcessSpec> resources) {

  ProcessSettings {
    resources = Map.copyOf(resources);
  }
}
