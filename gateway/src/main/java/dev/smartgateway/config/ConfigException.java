package dev.smartgateway.config;

/** A configuration the gateway refuses to start with; the message names the key and why. */
public final class ConfigException extends RuntimeException {

  private final String key;

  public ConfigException(String key, String reason) {
    super(key == null || key.isEmpty() ? reason : key + ": " + reason);
    this.key = key;
  }

  /** The dotted path of the offending key, e.g. {@code resources.demo.idleTimeout}. */
  public String key() {
    return key;
  }
}
