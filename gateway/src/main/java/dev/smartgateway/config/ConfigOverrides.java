package dev.smartgateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Configuration keys set from outside the file, laid over it before it is validated: environment variables
 * {@code SMART_GATEWAY_<KEY_PATH>}, then {@code --set key.path=value} arguments (file &lt; environment &lt;
 * {@code --set}; among {@code --set}s the later wins). A value is YAML: a scalar ({@code 9000}, {@code 5m},
 * {@code "::1"}) or a flow collection ({@code [a, b]}, <code>{path: /health}</code>); a map replaces the
 * key's whole map, an empty value means the key's default. Overridden keys then go through exactly the
 * validation of the file, and their problems are attributed to the variable or to {@code --set}.
 *
 * <p>A variable's name is the key path in upper case, with {@code _} between the path's segments and
 * between the words of a camelCase key: {@code server.port} is {@code SMART_GATEWAY_SERVER_PORT},
 * {@code defaults.idleTimeout} is {@code SMART_GATEWAY_DEFAULTS_IDLE_TIMEOUT}, {@code resources.demo.maxWaiting}
 * is {@code SMART_GATEWAY_RESOURCES_DEMO_MAX_WAITING}. It names a key the gateway knows or one the file has
 * (resources and provider keys); keys the file does not have under {@code resources} or a {@code provider}
 * are set with {@code --set}. A variable with the prefix that names no key stops the gateway, like a misspelt
 * key in the file; an empty one is ignored. {@link #NOT_KEYS} are not configuration keys.
 */
public final class ConfigOverrides {

  public static final String ENV_PREFIX = "SMART_GATEWAY_";

  /**
   * Variables with the prefix that mean something else: the log levels (read by logback.xml) and what the
   * process and docker adapters tell their children and containers (a gateway run as one must not take them for
   * keys).
   */
  public static final Set<String> NOT_KEYS = Set.of("SMART_GATEWAY_LOG", "SMART_GATEWAY_ACCESS_LOG",
      "SMART_GATEWAY_RESOURCE", "SMART_GATEWAY_GROUPS", "SMART_GATEWAY_INSTANCE");

  static final String SET = "--set";

  private final List<String> sets;
  private final Map<String, String> environment;

  private ConfigOverrides(List<String> sets, Map<String, String> environment) {
    this.sets = List.copyOf(sets);
    this.environment = environment;
  }

  public static ConfigOverrides none() {
    return new ConfigOverrides(List.of(), new TreeMap<>());
  }

  /**
   * @param sets        {@code key.path=value} arguments, in the order given
   * @param environment the process environment (only {@code SMART_GATEWAY_*} variables are looked at)
   */
  public static ConfigOverrides of(List<String> sets, Map<String, String> environment) {
    Map<String, String> own = new TreeMap<>();
    environment.forEach((name, value) -> {
      if (name.startsWith(ENV_PREFIX) && !NOT_KEYS.contains(name) && value != null && !value.isEmpty()) {
        own.put(name, value);
      }
    });
    return new ConfigOverrides(sets, own);
  }

  public boolean isEmpty() {
    return sets.isEmpty() && environment.isEmpty();
  }

  /** Where the overrides come from, without their values (for the start-up log): variable names, then {@code --set key}s. */
  public List<String> describe() {
    List<String> sources = new ArrayList<>(environment.keySet());
    sets.forEach(set -> {
      int eq = set.indexOf('=');
      sources.add(SET + " " + (eq < 0 ? set : set.substring(0, eq)));
    });
    return sources;
  }

  /** The variable that sets a key path, e.g. {@code SMART_GATEWAY_DEFAULTS_IDLE_TIMEOUT} for {@code defaults.idleTimeout}. */
  public static String envName(String keyPath) {
    StringBuilder name = new StringBuilder(ENV_PREFIX);
    char previous = 0;
    for (int i = 0; i < keyPath.length(); i++) {
      char c = keyPath.charAt(i);
      if (Character.isUpperCase(c) && (Character.isLowerCase(previous) || Character.isDigit(previous))) {
        name.append('_');
      }
      name.append(c < 0x80 && Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
      previous = c;
    }
    return name.toString();
  }

  /** One override applied: the key path it set and where it came from ({@code --set} or {@code env NAME}). */
  record Applied(String path, String origin) {
  }

  /** The document with the overrides laid over it, what they set, and their own problems (source attributed). */
  record Result(JsonNode root, List<Applied> applied, List<ConfigException> problems) {
  }

  /**
   * Lays the overrides over {@code root} (changing it).
   *
   * @param keyPaths the key paths a variable may name: those the gateway knows and those the file has
   */
  Result applyTo(JsonNode root, Collection<String> keyPaths) {
    List<ConfigException> problems = new ArrayList<>();
    List<Applied> applied = new ArrayList<>();
    if (isEmpty()) {
      return new Result(root, applied, problems);
    }
    ObjectNode map;
    if (ConfigSection.isAbsent(root)) {
      map = JsonNodeFactory.instance.objectNode();
    } else if (root instanceof ObjectNode object) {
      map = object;
    } else {
      // The file's own problem ("expected a map of keys") is reported by the loader; nothing can be set in it.
      return new Result(root, applied, problems);
    }
    Map<String, Set<String>> byEnvName = new LinkedHashMap<>();
    keyPaths.forEach(path -> byEnvName.computeIfAbsent(envName(path), n -> new TreeSet<>()).add(path));
    environment.forEach((name, value) -> {
      String origin = "env " + name;
      Set<String> paths = byEnvName.getOrDefault(name, Set.of());
      if (paths.size() == 1) {
        set(map, paths.iterator().next(), value, origin, applied, problems);
      } else if (paths.isEmpty()) {
        problems.add(new ConfigException(origin, "", "names no configuration key" + suggestion(name, byEnvName.keySet())));
      } else {
        problems.add(new ConfigException(origin, "", "names several keys (" + String.join(", ", paths)
            + "); set the one meant with --set"));
      }
    });
    for (String set : sets) {
      int eq = set.indexOf('=');
      String path = eq < 0 ? "" : set.substring(0, eq).trim();
      if (eq < 0 || path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
        problems.add(new ConfigException(SET, ConfigSection.quote(set),
            "expected KEY=VALUE with a dotted key path, e.g. server.port=9000"));
        continue;
      }
      set(map, path, set.substring(eq + 1), SET, applied, problems);
    }
    return new Result(map, applied, problems);
  }

  private static void set(ObjectNode root, String path, String text, String origin, List<Applied> applied,
                          List<ConfigException> problems) {
    JsonNode value;
    try {
      value = YamlDocument.read(text, origin);
    } catch (ConfigException e) {
      problems.add(new ConfigException(origin, path, "not a YAML value (" + e.reason() + ")"));
      return;
    }
    if (ConfigSection.isAbsent(value)) {
      value = JsonNodeFactory.instance.nullNode();
    }
    String refused = put(root, path.split("\\.", -1), value);
    if (refused != null) {
      problems.add(new ConfigException(origin, path, refused));
      return;
    }
    applied.add(new Applied(path, origin));
  }

  /**
   * Sets {@code segments} to {@code value}, creating the maps on the way. A key may contain dots (a resource
   * id like {@code wiki.internal}): at each level the longest run of segments that names an existing key is
   * taken as one key.
   *
   * @return null, or why the key cannot be set
   */
  private static String put(ObjectNode root, String[] segments, JsonNode value) {
    ObjectNode map = root;
    String walked = "";
    int i = 0;
    while (true) {
      int end = i + 1;
      for (int j = segments.length; j > i + 1; j--) {
        if (map.has(String.join(".", List.of(segments).subList(i, j)))) {
          end = j;
          break;
        }
      }
      String name = String.join(".", List.of(segments).subList(i, end));
      if (end == segments.length) {
        map.set(name, value);
        return null;
      }
      walked = walked.isEmpty() ? name : walked + "." + name;
      JsonNode child = map.get(name);
      if (ConfigSection.isAbsent(child)) {
        child = map.putObject(name);
      } else if (!(child instanceof ObjectNode)) {
        return "cannot be set: " + walked + " is " + ConfigSection.describe(child) + " in the configuration, not a map";
      }
      map = (ObjectNode) child;
      i = end;
    }
  }

  /** Every key path of {@code root}'s maps (not inside lists), e.g. {@code provider}, {@code provider.bootMinMs}. */
  static Set<String> paths(JsonNode root) {
    Set<String> paths = new LinkedHashSet<>();
    collect(root, "", paths);
    return paths;
  }

  private static void collect(JsonNode node, String path, Set<String> paths) {
    if (node instanceof ObjectNode map) {
      map.properties().forEach(e -> {
        String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        paths.add(key);
        collect(e.getValue(), key, paths);
      });
    }
  }

  private static String suggestion(String name, Set<String> known) {
    String squeezed = name.replace("_", "");
    for (String candidate : known) {
      if (candidate.replace("_", "").equals(squeezed)) {
        return "; did you mean " + candidate + "?";
      }
    }
    return " (e.g. SMART_GATEWAY_SERVER_PORT sets server.port; keys the file does not have under resources or a"
        + " provider are set with --set)";
  }
}
