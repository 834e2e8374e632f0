package dev.smartgateway.cloud;

import dev.smartgateway.config.ConfigException;
import dev.smartgateway.config.Durations;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Set;

/**
 * Reading an adapter's {@code provider} section (JSON) the way the gateway reads its own configuration: every
 * mistake a {@link ConfigException} naming the full key ({@code provider.resources.files.stopTimeout}), unknown
 * keys refused (a misspelt {@code stopTimout} silently ignored is worse than a refusal to start). For the
 * built-in adapters and for outside authors alike.
 */
public final class ProviderJson {

  private ProviderJson() {
  }

  /** Refuses any key of {@code json} (at {@code key}) that is not in {@code known}. */
  public static void onlyKnownKeys(JsonObject json, Set<String> known, String key) {
    for (String name : json.fieldNames()) {
      if (!known.contains(name)) {
        throw new ConfigException(key + "." + name,
            "unknown key (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }

  /** Text, or {@code fallback} if absent. */
  public static String string(JsonObject json, String name, String key, String fallback) {
    Object value = json.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String text)) {
      throw new ConfigException(key + "." + name, "must be a string");
    }
    return text;
  }

  /** A scalar (text, number, true/false) as text: what a command argument or an environment value may be. */
  public static String scalar(Object value, String fullKey) {
    if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
      throw new ConfigException(fullKey, "must be a string");
    }
    return String.valueOf(value);
  }

  /** A map, or null if absent. */
  public static JsonObject object(JsonObject json, String name, String key) {
    Object value = json.getValue(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject object)) {
      throw new ConfigException(key + "." + name, "must be an object");
    }
    return object;
  }

  /** A duration longer than 0 ({@code 250ms}, {@code 30s}, {@code 5m}), or {@code fallback} if absent. */
  public static Duration duration(JsonObject json, String name, String key, Duration fallback) {
    Object value = json.getValue(name);
    if (value == null) {
      return fallback;
    }
    try {
      if (!(value instanceof String text)) {
        throw new IllegalArgumentException(value + " is not a duration (use e.g. 250ms, 30s, 5m, 1h)");
      }
      Duration d = Durations.parse(text);
      if (d.isZero()) {
        throw new ConfigException(key + "." + name, "must be longer than 0");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + "." + name, e.getMessage());
    }
  }
}
