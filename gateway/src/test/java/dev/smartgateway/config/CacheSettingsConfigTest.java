package dev.smartgateway.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.smartgateway.config.ConfigTexts.failure;
import static dev.smartgateway.config.ConfigTexts.parse;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code cache:} under {@code defaults} and {@code resources.<id>} (DESIGN section 7a). */
class CacheSettingsConfigTest {

  @Test
  void offByDefaultWithTheDocumentedBounds() {
    CacheSettings cache = parse("").defaults().cache();

    assertThat(cache).isEqualTo(new CacheSettings(false, Duration.ZERO, 64L << 20, 1L << 20));
  }

  @Test
  void aResourceMergesItsKeysOverTheDefaults() {
    GatewayConfig config = parse("""
        defaults: {cache: {maxBytes: 8m, defaultTtl: 30s}}
        resources:
          on: {cache: {enabled: true}}
          small: {cache: {enabled: true, maxEntryBytes: 16k}}
        """);

    assertThat(config.settingsFor("on").cache()).isEqualTo(new CacheSettings(true, Duration.ofSeconds(30), 8L << 20, 1L << 20));
    assertThat(config.settingsFor("small").cache().maxEntryBytes()).isEqualTo(16 << 10);
    assertThat(config.settingsFor("unlisted").cache().enabled()).isFalse();
  }

  @Test
  void anUnknownKeyIsNamedWithTheOnesAllowed() {
    ConfigException e = failure("resources: {demo: {cache: {enable: true}}}");

    assertThat(e.key()).isEqualTo("resources.demo.cache.enable");
    assertThat(e.reason()).contains("enabled, defaultTtl, maxBytes, maxEntryBytes");
  }

  @Test
  void everyBadValueNamesItsKey() {
    assertThat(failure("defaults: {cache: {enabled: yes please}}").key()).isEqualTo("defaults.cache.enabled");
    assertThat(failure("defaults: {cache: {defaultTtl: soon}}").key()).isEqualTo("defaults.cache.defaultTtl");
    assertThat(failure("defaults: {cache: {maxBytes: lots}}").key()).isEqualTo("defaults.cache.maxBytes");
    assertThat(failure("defaults: {cache: {maxEntryBytes: 65m}}").key()).isEqualTo("defaults.cache.maxEntryBytes");
    assertThat(failure("defaults: {cache: true}").key()).isEqualTo("defaults.cache");
  }

  @Test
  void anEntryCannotBeLargerThanTheWholeCache() {
    ConfigException e = failure("defaults: {cache: {maxBytes: 1m, maxEntryBytes: 2m}}");

    assertThat(e.key()).isEqualTo("defaults.cache.maxEntryBytes");
    assertThat(e.reason()).contains("more than the whole cache");
  }

  @Test
  void itsKeysCanBeSetFromTheEnvironmentAndTheCommandLine() {
    GatewayConfig config = ConfigLoader.parse("", "gw.yaml", ConfigOverrides.of(List.of("defaults.cache.maxBytes=8m"),
        Map.of("SMART_GATEWAY_DEFAULTS_CACHE_ENABLED", "true", "SMART_GATEWAY_DEFAULTS_CACHE_DEFAULT_TTL", "1m")))
        .config();

    assertThat(config.defaults().cache()).isEqualTo(new CacheSettings(true, Duration.ofMinutes(1), 8L << 20, 1L << 20));
  }

  @Test
  void theAdminApisViewReadsBackAsTheSameSettings() {
    ResourceSettings settings = parse("resources: {demo: {cache: {enabled: true, defaultTtl: 5m, maxBytes: 1536k, "
        + "maxEntryBytes: 100}}}").settingsFor("demo");

    JsonObject view = ResourceSettingsJson.write(settings);

    assertThat(view.getJsonObject("cache")).isEqualTo(new JsonObject().put("enabled", true).put("defaultTtl", "5m")
        .put("maxBytes", "1536k").put("maxEntryBytes", "100b"));
    assertThat(ResourceSettingsJson.read("demo", view.encode(), ResourceSettings.defaults())).isEqualTo(settings);
  }
}
