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
 * One map of the YAML tree and its dotted path: reads typed values and records every problem under the
 * value's full key in the document's {@link ConfigProblems}, then goes on with the caller's fallback, so that
 * a document with several mistakes gets them all reported at once (the loader throws one
 * {@link ConfigException} listing them). A key that is absent or empty ({@code key:} with no value, e.g. after
 * commenting out its children) takes the caller's default.
 */
final class ConfigSection {

  private final String path;
  private final ObjectNode node;
  private final ConfigProblems problems;
  private final boolean isMap;

  /** A document of its own (tests, adapters): problems are recorded in a fresh {@link ConfigProblems}. */
  ConfigSection(String path, JsonNode node) {
    this(path, node, new ConfigProblems());
  }

  ConfigSection(String path, JsonNode node, ConfigProblems problems) {
    this.path = path;
    this.problems = problems;
    if (isAbsent(node)) {
      this.node = JsonNodeFactory.instance.objectNode();
      this.isMap = true;
    } else if (node instanceof ObjectNode map) {
      this.node = map;
      this.isMap = true;
    } else {
      problems.add(path, "expected a map of keys, got " + describe(node));
      this.node = JsonNodeFactory.instance.objectNode();
      this.isMap = false;
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

  /** False when the YAML had something else than a map here (already recorded as a problem; read as empty). */
  boolean isMap() {
    return isMap;
  }

  /** Records a problem with the key {@code name} of this section; the caller goes on with a fallback. */
  void error(String name, String reason) {
    problems.add(key(name), reason);
  }

  /** Records a problem with a key given in full (e.g. {@code server.trustedProxies[2]}). */
  void errorAt(String fullKey, String reason) {
    problems.add(fullKey, reason);
  }

  /** Typos must not pass silently: every key not listed is an error naming the ones that are allowed. */
  void allowOnly(List<String> allowed) {
    problems.allowed(path, allowed);
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String name = entry.getKey();
      if (!allowed.contains(name)) {
        error(name, "unknown key (allowed here: " + String.join(", ", allowed) + ")");
      }
    }
  }

  boolean has(String name) {
    return !isAbsent(node.get(name));
  }

  ConfigSection section(String name) {
    return new ConfigSection(key(name), node.get(name), problems);
  }

  /** The entries of this map as sections (for maps whose keys are names, like {@code resources}). */
  Map<String, ConfigSection> entries() {
    Map<String, ConfigSection> entries = new LinkedHashMap<>();
    node.properties().forEach(e -> entries.put(e.getKey(), new ConfigSection(key(e.getKey()), e.getValue(), problems)));
    return entries;
  }

  String string(String name, String fallback) {
    JsonNode value = node.get(name);
    if (isAbsent(value)) {
      return fallback;
    }
    if (!value.isTextual()) {
      error(name, "expected text, got " + describe(value));
      return fallback;
    }
    return value.textValue();
  }

  boolean bool(String name, boolean fallback) {
    JsonNode value = node.get(name);
    if (isAbsent(value)) {
      return fallback;
    }
    if (!value.isBoolean()) {
      error(name, "expected true or false, got " + describe(value));
      return fallback;
    }
    return value.booleanValue();
  }

  int integer(String name, int fallback) {
    JsonNode value = node.get(name);
    if (isAbsent(value)) {
      return fallback;
    }
    if (!value.isIntegralNumber()) {
      error(name, "expected a whole number, got " + describe(value));
      return fallback;
    }
    if (!value.canConvertToInt()) {
      error(name, value.asText() + " is out of range");
      return fallback;
    }
    return value.intValue();
  }

  /** Out of range is recorded and the fallback returned (which callers keep in range). */
  int integer(String name, int fallback, int min, int max) {
    int value = integer(name, fallback);
    if (value < min || value > max) {
      error(name, value + " is out of range (" + min + ".." + max + ")");
      return fallback;
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
      error(name, "must be more than 0 (" + Durations.EXAMPLES + ")");
      return fallback;
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
      error(name, "expected " + expected + ", got " + describe(value));
      return fallback;
    }
    try {
      return parser.apply(value.asText());
    } catch (IllegalArgumentException e) {
      error(name, e.getMessage());
      return fallback;
    }
  }

  long size(String name, long fallback, long max) {
    long value = size(name, fallback);
    if (value < 1 || value > max) {
      error(name, value + " bytes is out of range (1b.." + max + "b)");
      return fallback;
    }
    return value;
  }

  /** A list of maps (like {@code keepWarm}), each item a section named {@code name[i]}; null if absent or not a list. */
  List<ConfigSection> sectionList(String name) {
    JsonNode value = node.get(name);
    if (isAbsent(value)) {
      return null;
    }
    if (!value.isArray()) {
      error(name, "expected a list, got " + describe(value));
      return null;
    }
    List<ConfigSection> items = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      items.add(new ConfigSection(key(name) + "[" + i + "]", value.get(i), problems));
    }
    return items;
  }

  List<String> stringList(String name, List<String> fallback) {
    JsonNode value = node.get(name);
    if (isAbsent(value)) {
      return fallback;
    }
    if (!value.isArray()) {
      error(name, "expected a list, got " + describe(value));
      return fallback;
    }
    // Every item that is not text is recorded; then the fallback is returned, so that a caller checking the
    // items never reports one under another's index.
    List<String> list = new ArrayList<>();
    boolean allText = true;
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      if (item.isTextual()) {
        list.add(item.textValue());
      } else {
        errorAt(key(name) + "[" + i + "]", "expected text, got " + describe(item));
        allText = false;
      }
    }
    return allText ? list : fallback;
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
