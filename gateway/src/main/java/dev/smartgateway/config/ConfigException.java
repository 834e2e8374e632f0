package dev.smartgateway.config;

/**
 * A configuration the gateway refuses to start with; the message names the file, the key and why, e.g.
 * {@code gateway.yaml: resources.demo.idleTimeout: "10 minutes" is not a duration (use e.g. 250ms, 30s, 5m, 1h)}.
 */
public final class ConfigException extends RuntimeException {

  private final String source;
  private final String key;
  private final String reason;

  public ConfigException(String key, String reason) {
    this(null, key, reason);
  }

  /** @param source the file (or other origin) the configuration came from; null when unknown */
  public ConfigException(String source, String key, String reason) {
    super(prefix(source) + prefix(key) + reason);
    this.source = source;
    this.key = key;
    this.reason = reason;
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

  /** The same problem, attributed to {@code source}. */
  public ConfigException in(String source) {
    return new ConfigException(source, key, reason);
  }

  private static String prefix(String part) {
    return part == null || part.isEmpty() ? "" : part + ": ";
  }
}
