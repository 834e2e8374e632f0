package dev.smartgateway.config;

import java.util.List;
import java.util.Set;

/**
 * Where each key of a loaded configuration came from: the file (or the built-in configuration), a
 * {@code SMART_GATEWAY_*} variable or {@code --set}. Used to attribute problems found after loading, such as
 * a provider section that its adapter refuses.
 */
public final class ConfigOrigins {

  private final String file;
  private final List<ConfigOverrides.Applied> applied;
  private final Set<String> filePaths;

  ConfigOrigins(String file, List<ConfigOverrides.Applied> applied, Set<String> filePaths) {
    this.file = file;
    this.applied = List.copyOf(applied);
    this.filePaths = Set.copyOf(filePaths);
  }

  /** Everything from {@code file}. */
  public static ConfigOrigins of(String file) {
    return new ConfigOrigins(file, List.of(), Set.of());
  }

  /** The file, {@code --set} or {@code env NAME} that set {@code key} (a dotted key path) or the map holding it. */
  public String sourceOf(String key) {
    String k = key == null ? "" : key;
    for (int i = applied.size() - 1; i >= 0; i--) {
      String set = applied.get(i).path();
      if (k.equals(set) || k.startsWith(set + ".") || k.startsWith(set + "[")) {
        return applied.get(i).origin();
      }
      // An override that created the map holding its key: a problem with that map is the override's.
      if (!k.isEmpty() && set.startsWith(k + ".") && !filePaths.contains(k)) {
        return applied.get(i).origin();
      }
    }
    return file;
  }

  /** The same problems, each without a source given the one that set its key. */
  public ConfigException attribute(ConfigException problems) {
    return problems.map(p -> p.source() != null ? p : new ConfigException(sourceOf(p.key()), p.key(), p.reason()));
  }
}
