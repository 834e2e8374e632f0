package dev.smartgateway.config;

import io.vertx.core.json.JsonObject;

/**
 * A {@code provider} section: {@code type} picks the adapter; the whole section (type included) is handed
 * to the adapter's factory, which reads its own keys (e.g. {@code embedded}, {@code url} for {@code mock}).
 */
public record ProviderConfig(String type, JsonObject settings) {

  public ProviderConfig {
    settings = settings == null ? new JsonObject().put("type", type) : settings.copy();
  }

  /** The provider when the configuration names none: the mock cloud, started in-process. */
  public static ProviderConfig embeddedMock() {
    return new ProviderConfig("mock", new JsonObject().put("type", "mock").put("embedded", true));
  }

  /** A copy: JsonObject is mutable and adapters must not change the gateway's configuration. */
  @Override
  public JsonObject settings() {
    return settings.copy();
  }
}
