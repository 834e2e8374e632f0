package dev.smartgateway.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What reading one configuration found wrong, shared by all the {@link ConfigSection}s of a document: a
 * section records a problem and goes on with the caller's fallback, so one run reports every problem at
 * once. It also notes the keys each section allows ({@link ConfigSection#allowOnly}): the key paths the
 * environment can name.
 */
final class ConfigProblems {

  /** One problem, not yet attributed to a source. */
  record Problem(String key, String reason) {
  }

  private final List<Problem> problems = new ArrayList<>();
  private final Map<String, Set<String>> allowedKeys = new LinkedHashMap<>();

  void add(String key, String reason) {
    problems.add(new Problem(key, reason));
  }

  /** A problem thrown rather than recorded (a reader that still throws): kept like a recorded one. */
  void add(ConfigException thrown) {
    thrown.problems().forEach(p -> add(p.key(), p.reason()));
  }

  boolean isEmpty() {
    return problems.isEmpty();
  }

  List<Problem> all() {
    return List.copyOf(problems);
  }

  void allowed(String sectionPath, List<String> keys) {
    allowedKeys.computeIfAbsent(sectionPath, p -> new LinkedHashSet<>()).addAll(keys);
  }

  /** Every {@code section.key} some section allowed while the document was read. */
  Set<String> allowedPaths() {
    Set<String> paths = new LinkedHashSet<>();
    allowedKeys.forEach((section, keys) -> keys.forEach(k -> paths.add(section.isEmpty() ? k : section + "." + k)));
    return paths;
  }
}
