package dev.smartgateway.config;

import java.util.ArrayList;
import java.util.List;

/**
 * What reading one configuration found wrong, shared by all the {@link ConfigSection}s of a document: a
 * section records a problem and goes on with the caller's fallback, so one run reports every problem at
 * once.
 */
final class ConfigProblems {

  /** One problem, not yet attributed to a source. */
  record Problem(String key, String reason) {
  }

  private final List<Problem> problems = new ArrayList<>();

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
}
