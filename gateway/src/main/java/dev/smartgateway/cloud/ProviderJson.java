package dev.smartgateway.cloud;

import dev.smartgateway.config.ConfigException;
import dev.smartgateway.config.Durations;
import dev.smartgateway.config.Sizes;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reading an adapter's {@code provider} section (JSON) the way the gateway reads its own configuration: every
 * mistake a {@link ConfigException} naming the full key ({@code provider.resources.files.stopTimeout}), unknown
 * keys refused (a misspelt {@code stopTimout} silently ignored is worse than a refusal to start). For the
 * built-in adapters and for outside authors alike.
 */
public final class ProviderJson {

  /** DESIGN section 3; also keeps resource ids safe in file names, container names and labels. */
  private static final Pattern RESOURCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /** Reads one resource's section ({@code key} is its full key, {@code provider.resources.<id>}). */
  @FunctionalInterface
  public interface ResourceReader<T> {
    T read(String id, JsonObject section, String key);
  }

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

  /** A size in bytes ({@code 256m}, {@code 1g}), or null if absent. */
  public static Long size(JsonObject json, String name, String key) {
    Object value = json.getValue(name);
    if (value == null) {
      return null;
    }
    try {
      return Sizes.parse(String.valueOf(value));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + "." + name, e.getMessage());
    }
  }

  /** Text that must not be blank, or {@code fallback} if absent. */
  public static String nonBlank(JsonObject json, String name, String key, String fallback) {
    String value = string(json, name, key, fallback);
    if (value.isBlank()) {
      throw new ConfigException(key + "." + name, "must not be empty");
    }
    return value;
  }

  /** {@code onShutdown: leave|stop} (any case), or {@code fallback} if absent; an error names the default first. */
  public static OnShutdown onShutdown(JsonObject json, String key, OnShutdown fallback) {
    String value = string(json, "onShutdown", key, fallback.name()).toLowerCase(Locale.ROOT);
    for (OnShutdown choice : OnShutdown.values()) {
      if (choice.name().toLowerCase(Locale.ROOT).equals(value)) {
        return choice;
      }
    }
    OnShutdown other = fallback == OnShutdown.STOP ? OnShutdown.LEAVE : OnShutdown.STOP;
    throw new ConfigException(key + ".onShutdown", "expected " + fallback.name().toLowerCase(Locale.ROOT) + " or "
        + other.name().toLowerCase(Locale.ROOT) + ", got '" + json.getValue("onShutdown") + "'");
  }

  /**
   * The {@code resources} map of a provider section, in the order written: at least one, each id a valid resource
   * id and each section an object, read by {@code reader}.
   *
   * @param needs        what at least one resource must have, for the error when there is none ({@code a command})
   * @param sectionNeeds what a section must have, for the error when it is not an object ({@code at least a command})
   */
  public static <T> Map<String, T> resources(JsonObject provider, String key, String needs, String sectionNeeds,
                                             ResourceReader<T> reader) {
    JsonObject resources = object(provider, "resources", key);
    if (resources == null || resources.isEmpty()) {
      throw new ConfigException(key + ".resources", "required: at least one resource with " + needs);
    }
    Map<String, T> specs = new LinkedHashMap<>();
    for (String id : resources.fieldNames()) {
      String resourceKey = key + ".resources." + id;
      if (!RESOURCE_ID.matcher(id).matches()) {
        throw new ConfigException(resourceKey, "not a valid resource id (letters, digits, '.', '_', '-'; at most 128)");
      }
      if (!(resources.getValue(id) instanceof JsonObject section)) {
        throw new ConfigException(resourceKey, "must be an object with " + sectionNeeds);
      }
      specs.put(id, reader.read(id, section, resourceKey));
    }
    return specs;
  }
}
