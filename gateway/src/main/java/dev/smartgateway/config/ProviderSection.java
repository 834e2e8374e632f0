package dev.smartgateway.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * A {@code provider} section. Its keys belong to the adapter named by {@code type}, which the gateway does
 * not know, so only {@code type} is checked here; the adapter's factory validates the rest.
 */
final class ProviderSection {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
  };

  private ProviderSection() {
  }

  static ProviderConfig read(ConfigSection section) {
    if (!section.has("type")) {
      throw new ConfigException(section.key("type"), "required: the cloud adapter to use (e.g. mock, static, process)");
    }
    String type = section.string("type", null);
    if (type.isBlank()) {
      throw new ConfigException(section.key("type"), "must not be empty");
    }
    return new ProviderConfig(type, new JsonObject(JSON.convertValue(section.node(), MAP)));
  }
}
