package dev.smartgateway.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A configuration the gateway refuses to start with; the message names the file, the key and why, e.g.
 * {@code gateway.yaml: resources.demo.idleTimeout: "10 minutes" is not a duration (use e.g. 250ms, 30s, 5m, 1h)}.
 * One exception may carry several problems ({@link #problems()}): the loader reports every problem of a
 * configuration at once, one line of the message each; {@link #key()}, {@link #source()} and {@link #reason()}
 * are then the first one's.
 */
public final class ConfigException extends RuntimeException {

  private final String source;
  private final String key;
  private final String reason;
  private final List<ConfigException> problems;

  public ConfigException(String key, String reason) {
    this(null, key, reason);
  }

  /** @param source the file (or other origin) the configuration came from; null when unknown */
  public ConfigException(String source, String key, String reason) {
    super(prefix(source) + prefix(key) + reason);
    this.source = source;
    this.key = key;
    this.reason = reason;
    this.problems = List.of(this);
  }

  private ConfigException(List<ConfigException> problems) {
    super(String.join("\n", problems.stream().map(Throwable::getMessage).toList()));
    ConfigException first = problems.get(0);
    this.source = first.source;
    this.key = first.key;
    this.reason = first.reason;
    this.problems = List.copyOf(problems);
  }

  /**
   * One exception for all of {@code problems} (each of which may itself carry several), in order.
   *
   * @throws IllegalArgumentException if there is none
   */
  public static ConfigException of(List<ConfigException> problems) {
    List<ConfigException> flat = new ArrayList<>();
    problems.forEach(p -> flat.addAll(p.problems()));
    if (flat.isEmpty()) {
      throw new IllegalArgumentException("no problems");
    }
    return flat.size() == 1 ? flat.get(0) : new ConfigException(flat);
  }

  /** Every problem, each with its own source, key and reason; just this one for a single problem. */
  public List<ConfigException> problems() {
    return problems;
  }

  /** The dotted path of the offending key, e.g. {@code resources.demo.idleTimeout}; empty or null for the whole document. */
  public String key() {
    return key;
  }

  /** Where the configuration came from (a file name), or null. */
  public String source() {
    return source;
  }

  /** Why the value was refused, without source and key. */
  public String reason() {
    return reason;
  }

  /** The same problem(s), attributed to {@code source}. */
  public ConfigException in(String source) {
    return map(p -> new ConfigException(source, p.key, p.reason));
  }

  /** The same problems, each replaced by what {@code change} makes of it. */
  public ConfigException map(UnaryOperator<ConfigException> change) {
    if (problems.size() == 1) {
      return change.apply(problems.get(0));
    }
    return of(problems.stream().map(change).toList());
  }

  private static String prefix(String part) {
    return part == null || part.isEmpty() ? "" : part + ": ";
  }
}
