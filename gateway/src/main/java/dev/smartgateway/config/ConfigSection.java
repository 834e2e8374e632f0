package dev.smartgateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One map of the YAML tree and its dotted path: reads typed values and reports every problem as a
 * {@link ConfigException} under the value's full key. A key that is absent or empty ({@code key:} with no
 * value, e.g. after commenting out its children) takes the caller's default.
 */
final class ConfigSection {

  private final String path;
  private final ObjectNode node;

  ConfigSection(String path, JsonNode node) {
    this.path = path;
    if (isAbsent(node)) {
      this.node = JsonNodeFactory.instance.objectNode();
    } else if (node instanceof ObjectNode map) {
      this.node = map;
    } else {
      throw new ConfigException(path, "expected a map of keys, got " + describe(node));
    }
  }

  String path() {
    return path;
  }

  ObjectNode node() {
    return node;
  }

  String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /** Typos must not pass silently: any key not listed is an error naming the ones that are allowed. */
  void allowOnly(List<String> allowed) {
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String name = entry.getKey();
      if (!allowed.contains(name)) {
        throw new ConfigException(key(name), "unknown key (allowed here: " + String.join(", ", allowed) + ")");
      }
    }
  }

  boolean has(String name) {
    return !isAbsent(node.get(name));
  }

  ConfigSection section(String name) {
    return new ConfigSection(key(name), node.get(name));
  }

  /** The entries of this map as sections (for maps whose keys are names, like {@code resources}). */
  Map<String, ConfigSection> entries() {
    Map<String, ConfigSection> entries = new LinkedHashMap<>();
    node.properties().forEach(e -> entries.put(e.getKey(), new ConfigSection(key(e.getKey()), e.getValue())));
    return entries;
  }

  String string(String name, String fallback) {
    JsonNode value = node.get(name);
    if (isAbsent(value)) {
      return fallback;
    }
    if (!value.isTextual()) {
      throw new ConfigException(key(name), "expected text, got " + describe(value));
    }
    return value.textValue();
  }

  int integer(String name, int fallback) {
    JsonNode value = node.get(name);
    if (isAbsent(value)) {
      return fallback;
    }
    if (!value.isIntegralNumber()) {
      throw new ConfigException(key(name), "expected a whole number, got " + describe(value));
    }
    if (!value.canConvertToInt()) {
      throw new ConfigException(key(name), value.asText() + " is out of range");
    }
    return value.intValue();
  }

  int integer(String name, int fallback, int min, int max) {
    int value = integer(name, fallback);
    if (value < min || value > max) {
      throw new ConfigException(key(name), value + " is out of range (" + min + ".." + max + ")");
    }
    return value;
  }

  Duration duration(String name, Duration fallback) {
    return parsed(name, fallback, Durations::parse, "a duration (" + Durations.EXAMPLES + ")");
  }

  /** A timeout or interval: zero would mean "at once" or "never" depending on who reads it, so it is refused. */
  Duration positiveDuration(String name, Duration fallback) {
    Duration value = duration(name, fallback);
    if (value.isZero()) {
      throw new ConfigException(key(name), "must be more than 0 (" + Durations.EXAMPLES + ")");
    }
    return value;
  }

  long size(String name, long fallback) {
    return parsed(name, fallback, Sizes::parse, "a size (" + Sizes.EXAMPLES + ")");
  }

  /** A scalar in a small language of its own (sizes, durations, ranges); its parser's message becomes the reason. */
  <T> T parsed(String name, T fallback, Function<String, T> parser, String expected) {
    JsonNode value = node.get(name);
    if (isAbsent(value)) {
      return fallback;
    }
    if (!value.isTextual() && !value.isIntegralNumber()) {
      throw new ConfigException(key(name), "expected " + expected + ", got " + describe(value));
    }
    try {
      return parser.apply(value.asText());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key(name), e.getMessage());
    }
  }

  long size(String name, long fallback, long max) {
    long value = size(name, fallback);
    if (value < 1 || value > max) {
      throw new ConfigException(key(name), value + " bytes is out of range (1b.." + max + "b)");
    }
    return value;
  }

  List<String> stringList(String name, List<String> fallback) {
    JsonNode value = node.get(name);
    if (isAbsent(value)) {
      return fallback;
    }
    if (!value.isArray()) {
      throw new ConfigException(key(name), "expected a list, got " + describe(value));
    }
    List<String> list = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      if (!item.isTextual()) {
        throw new ConfigException(key(name) + "[" + i + "]", "expected text, got " + describe(item));
      }
      list.add(item.textValue());
    }
    return list;
  }

  static boolean isAbsent(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  /** What the user wrote, in YAML terms, for "expected X, got Y" messages. */
  static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "a list";
      case OBJECT -> "a map";
      case STRING -> "text " + quote(node.textValue());
      case NUMBER -> "the number " + node.asText();
      case BOOLEAN -> "the boolean " + node.asText();
      default -> "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " value";
    };
  }

  static String quote(String text) {
    return '"' + text + '"';
  }
}
