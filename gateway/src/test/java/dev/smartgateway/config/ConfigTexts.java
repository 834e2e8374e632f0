package dev.smartgateway.config;

/** Configuration from YAML text, for the config tests: parsed, or the exception it must fail with. */
final class ConfigTexts {

  private ConfigTexts() {
  }

  static GatewayConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "test.yaml");
  }

  static ConfigException failure(String yaml) {
    try {
      parse(yaml);
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigException for:\n" + yaml);
  }
}
