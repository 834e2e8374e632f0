package dev.smartgateway.cloud.process;

import dev.smartgateway.config.Durations;

import dev.smartgateway.cloud.OnShutdown;
import dev.smartgateway.cloud.ProviderJson;
import dev.smartgateway.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import static dev.smartgateway.cloud.ProviderJson.duration;
import static dev.smartgateway.cloud.ProviderJson.nonBlank;
import static dev.smartgateway.cloud.ProviderJson.object;
import static dev.smartgateway.cloud.ProviderJson.onShutdown;
import static dev.smartgateway.cloud.ProviderJson.onlyKnownKeys;
import static dev.smartgateway.cloud.ProviderJson.resources;
import static dev.smartgateway.cloud.ProviderJson.string;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the {@code provider} JSON section into {@link ProcessSettings}. Every error is a {@link ConfigException}
 * naming the full key ({@code provider.resources.files.command}); unknown keys are errors too, because a
 * misspelt {@code stopTimout} silently ignored is worse than a refusal to start.
 */
final class ProcessConfigParser {

  private static final Set<String> PROVIDER_KEYS =
      Set.of("type", "host", "stateDir", "onShutdown", "forgetAfter", "resources");
  private static final Set<String> RESOURCE_KEYS =
      Set.of("command", "workingDir", "env", "readiness", "stopSignal", "stopTimeout");
  private static final Set<String> READINESS_KEYS = Set.of("tcp", "path", "timeout");
  private static final Duration DEFAULT_READINESS_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration DEFAULT_FORGET_AFTER = Duration.ofMinutes(1);

  private ProcessConfigParser() {
  }

  static ProcessSettings parse(JsonObject provider) {
    String p = "provider";
    onlyKnownKeys(provider, PROVIDER_KEYS, p);
    String host = nonBlank(provider, "host", p, "127.0.0.1");
    String stateDir = string(provider, "stateDir", p,
        Path.of(System.getProperty("java.io.tmpdir"), "smart-gateway-process").toString());
    OnShutdown onShutdown = onShutdown(provider, p, OnShutdown.STOP);
    Duration forgetAfter = duration(provider, "forgetAfter", p, DEFAULT_FORGET_AFTER);
    Map<String, ProcessSpec> specs = resources(provider, p, "a command", "at least a command",
        ProcessConfigParser::resource);
    return new ProcessSettings(host, Path.of(stateDir), onShutdown, forgetAfter, specs);
  }

  private static ProcessSpec resource(String id, JsonObject json, String key) {
    onlyKnownKeys(json, RESOURCE_KEYS, key);
    String workingDir = string(json, "workingDir", key, null);
    Duration stopTimeout = duration(json, "stopTimeout", key, ProcessSpec.DEFAULT_STOP_TIMEOUT);
    StopSignal stopSignal;
    try {
      stopSignal = StopSignal.parse(string(json, "stopSignal", key, ProcessSpec.DEFAULT_STOP_SIGNAL.name()));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + ".stopSignal", e.getMessage());
    }
    return new ProcessSpec(id, command(json, key), workingDir == null ? null : Path.of(workingDir),
        env(json, key), readiness(json, key), stopSignal, stopTimeout);
  }

  private static List<String> command(JsonObject json, String key) {
    Object value = json.getValue("command");
    if (value == null) {
      throw new ConfigException(key + ".command", "required");
    }
    if (!(value instanceof JsonArray array)) {
      throw new ConfigException(key + ".command",
          "must be a list (program first, then its arguments; no shell is involved)");
    }
    if (array.isEmpty()) {
      throw new ConfigException(key + ".command", "must not be empty");
    }
    List<String> command = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      command.add(ProviderJson.scalar(array.getValue(i), key + ".command[" + i + "]"));
    }
    if (command.get(0).isBlank()) {
      throw new ConfigException(key + ".command[0]", "the program must not be empty");
    }
    return command;
  }

  private static Map<String, String> env(JsonObject json, String key) {
    JsonObject env = object(json, "env", key);
    Map<String, String> vars = new LinkedHashMap<>();
    if (env != null) {
      for (String name : env.fieldNames()) {
        vars.put(name, ProviderJson.scalar(env.getValue(name), key + ".env." + name));
      }
    }
    return vars;
  }

  private static ProcessSpec.Readiness readiness(JsonObject json, String key) {
    JsonObject readiness = object(json, "readiness", key);
    if (readiness == null) {
      return new ProcessSpec.Readiness(null, DEFAULT_READINESS_TIMEOUT);
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
      return new ProcessSpec.Readiness(path, timeout);
    }
    if (Boolean.FALSE.equals(tcp)) {
      throw new ConfigException(rkey, "needs tcp: true or a path");
    }
    return new ProcessSpec.Readiness(null, timeout);
  }
}
