package dev.smartgateway.cloud.docker;

import dev.smartgateway.cloud.OnShutdown;
import dev.smartgateway.cloud.ProviderJson;
import dev.smartgateway.config.ConfigException;
import dev.smartgateway.config.Durations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import static dev.smartgateway.cloud.ProviderJson.duration;
import static dev.smartgateway.cloud.ProviderJson.nonBlank;
import static dev.smartgateway.cloud.ProviderJson.object;
import static dev.smartgateway.cloud.ProviderJson.onShutdown;
import static dev.smartgateway.cloud.ProviderJson.resources;
import static dev.smartgateway.cloud.ProviderJson.onlyKnownKeys;
import static dev.smartgateway.cloud.ProviderJson.string;
import static dev.smartgateway.cloud.ProviderJson.scalar;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the {@code provider} JSON section into {@link DockerSettings}. Every error is a {@link ConfigException}
 * naming the full key ({@code provider.resources.echo.image}); unknown keys are errors too, because a misspelt
 * {@code stopTimout} silently ignored is worse than a refusal to start.
 */
final class DockerConfigParser {

  /** What Docker accepts as a network name. */
  private static final Pattern NETWORK = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Set<String> PROVIDER_KEYS = Set.of("type", "socket", "url", "host", "forgetAfter", "onShutdown",
      "resources");
  private static final Set<String> RESOURCE_KEYS = Set.of("image", "command", "env", "labels", "port", "network",
      "readiness", "stopTimeout", "memory", "cpus", "init");
  private static final Set<String> READINESS_KEYS = Set.of("tcp", "path", "timeout");
  private static final Duration DEFAULT_READINESS_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration DEFAULT_FORGET_AFTER = Duration.ofMinutes(1);
  /** The daemon refuses a smaller memory limit. */
  private static final long MIN_MEMORY = 6L << 20;

  private DockerConfigParser() {
  }

  /**
   * @param environment the gateway's environment: {@code DOCKER_HOST} is the default endpoint when the section
   *                    names none, as for every other Docker client
   */
  static DockerSettings parse(JsonObject provider, Map<String, String> environment) {
    String p = "provider";
    onlyKnownKeys(provider, PROVIDER_KEYS, p);
    DockerEndpoint endpoint = endpoint(provider, p, environment.get("DOCKER_HOST"));
    String host = nonBlank(provider, "host", p, "127.0.0.1");
    Duration forgetAfter = duration(provider, "forgetAfter", p, DEFAULT_FORGET_AFTER);
    OnShutdown onShutdown = onShutdown(provider, p, OnShutdown.LEAVE);
    Map<String, ContainerSpec> specs = resources(provider, p, "an image", "at least an image",
        DockerConfigParser::resource);
    return new DockerSettings(endpoint, host, forgetAfter, onShutdown, specs);
  }

  private static DockerEndpoint endpoint(JsonObject provider, String p, String dockerHost) {
    String socket = string(provider, "socket", p, null);
    String url = string(provider, "url", p, null);
    if (socket != null && url != null) {
      throw new ConfigException(p + ".url", "either socket or url, not both");
    }
    if (socket != null) {
      if (!socket.startsWith("/")) {
        throw new ConfigException(p + ".socket", "must be an absolute path, e.g. /var/run/docker.sock");
      }
      return DockerEndpoint.socket(socket);
    }
    if (url != null) {
      try {
        return DockerEndpoint.parse(url);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(p + ".url", e.getMessage());
      }
    }
    if (dockerHost != null && !dockerHost.isBlank()) {
      try {
        return DockerEndpoint.parse(dockerHost);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(p + ".url", "not set, and DOCKER_HOST is not usable: " + e.getMessage());
      }
    }
    return DockerEndpoint.socket(DockerEndpoint.DEFAULT_SOCKET);
  }

  private static ContainerSpec resource(String id, JsonObject json, String key) {
    onlyKnownKeys(json, RESOURCE_KEYS, key);
    String image = string(json, "image", key, null);
    if (image == null) {
      throw new ConfigException(key + ".image", "required: a local image (the docker adapter never pulls one)");
    }
    if (image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
      throw new ConfigException(key + ".image", "'" + image + "' is not an image name");
    }
    String network = string(json, "network", key, ContainerSpec.HOST_NETWORK);
    if (!NETWORK.matcher(network).matches()) {
      throw new ConfigException(key + ".network", "'" + network + "' is not a network name");
    }
    Integer port = port(json, key);
    if (port == null && !ContainerSpec.HOST_NETWORK.equals(network)) {
      throw new ConfigException(key + ".port",
          "required with network '" + network + "': the port the container serves on, to publish on the host");
    }
    return new ContainerSpec(id, image, command(json, key), env(json, key), labels(json, key), port, network,
        readiness(json, key), duration(json, "stopTimeout", key, ContainerSpec.DEFAULT_STOP_TIMEOUT),
        memory(json, key), cpus(json, key), flag(json, "init", key));
  }

  private static List<String> command(JsonObject json, String key) {
    Object value = json.getValue("command");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array)) {
      throw new ConfigException(key + ".command",
          "must be a list (program first, then its arguments; no shell is involved)");
    }
    if (array.isEmpty()) {
      throw new ConfigException(key + ".command", "must not be empty (leave it out to run the image's own command)");
    }
    List<String> command = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      command.add(scalar(array.getValue(i), key + ".command[" + i + "]"));
    }
    if (command.get(0).isBlank()) {
      throw new ConfigException(key + ".command[0]", "the program must not be empty");
    }
    return command;
  }

  private static Map<String, String> env(JsonObject json, String key) {
    Map<String, String> vars = new LinkedHashMap<>();
    JsonObject env = object(json, "env", key);
    if (env != null) {
      for (String name : env.fieldNames()) {
        if (!ENV_NAME.matcher(name).matches()) {
          throw new ConfigException(key + ".env." + name, "not a variable name (letters, digits, '_')");
        }
        vars.put(name, scalar(env.getValue(name), key + ".env." + name));
      }
    }
    return vars;
  }

  private static Map<String, String> labels(JsonObject json, String key) {
    Map<String, String> labels = new LinkedHashMap<>();
    JsonObject section = object(json, "labels", key);
    if (section != null) {
      for (String name : section.fieldNames()) {
        if (name.startsWith(Labels.PREFIX)) {
          throw new ConfigException(key + ".labels." + name,
              "labels starting with " + Labels.PREFIX + " are the adapter's own (they say whose container it is)");
        }
        if (name.isBlank()) {
          throw new ConfigException(key + ".labels", "a label name must not be empty");
        }
        labels.put(name, scalar(section.getValue(name), key + ".labels." + name));
      }
    }
    return labels;
  }

  private static Integer port(JsonObject json, String key) {
    Object value = json.getValue("port");
    if (value == null) {
      return null;
    }
    if (!(value instanceof Integer number) || number < 1 || number > 65535) {
      throw new ConfigException(key + ".port", "must be a port number (1-65535), got '" + value + "'");
    }
    return number;
  }

  private static long memory(JsonObject json, String key) {
    Long bytes = ProviderJson.size(json, "memory", key);
    if (bytes == null) {
      return 0;
    }
    if (bytes < MIN_MEMORY) {
      throw new ConfigException(key + ".memory", "must be at least 6m (Docker refuses less)");
    }
    return bytes;
  }

  private static long cpus(JsonObject json, String key) {
    Object value = json.getValue("cpus");
    if (value == null) {
      return 0;
    }
    if (!(value instanceof Number number) || !(number.doubleValue() > 0) || number.doubleValue() > 1024) {
      throw new ConfigException(key + ".cpus", "must be a number of CPUs greater than 0 (e.g. 0.5, 2), got '" + value + "'");
    }
    return Math.max(1, Math.round(number.doubleValue() * 1e9));
  }

  private static ContainerSpec.Readiness readiness(JsonObject json, String key) {
    JsonObject readiness = object(json, "readiness", key);
    if (readiness == null) {
      return new ContainerSpec.Readiness(null, DEFAULT_READINESS_TIMEOUT);
    }
    String rkey = key + ".readiness";
    onlyKnownKeys(readiness, READINESS_KEYS, rkey);
    Duration timeout = duration(readiness, "timeout", rkey, DEFAULT_READINESS_TIMEOUT);
    String path = string(readiness, "path", rkey, null);
    Object tcp = readiness.getValue("tcp");
    if (tcp != null && !(tcp instanceof Boolean)) {
      throw new ConfigException(rkey + ".tcp", "must be true or false");
    }
    if (path != null) {
      if (Boolean.TRUE.equals(tcp)) {
        throw new ConfigException(rkey, "either tcp: true or path, not both");
      }
      if (!path.startsWith("/")) {
        throw new ConfigException(rkey + ".path", "must start with '/'");
      }
      return new ContainerSpec.Readiness(path, timeout);
    }
    if (Boolean.FALSE.equals(tcp)) {
      throw new ConfigException(rkey, "needs tcp: true or a path");
    }
    return new ContainerSpec.Readiness(null, timeout);
  }

  private static boolean flag(JsonObject json, String name, String key) {
    Object value = json.getValue(name);
    if (value == null) {
      return false;
    }
    if (!(value instanceof Boolean flag)) {
      throw new ConfigException(key + "." + name, "must be true or false");
    }
    return flag;
  }
}
