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

  /** @return the provider, or null when the section is wrong (the problem is recorded in the section) */
  static ProviderConfig read(ConfigSection section) {
    if (!section.isMap()) {
      return null;
    }
    if (!section.has("type")) {
      section.error("type", "required: the cloud adapter to use (e.g. mock, static, process)");
      return null;
    }
    String type = section.string("type", null);
    if (type == null) {
      return null;
    }
    if (type.isBlank()) {
      section.error("type", "must not be empty");
      return null;
    }
    return new ProviderConfig(type, new JsonObject(JSON.convertValue(section.node(), MAP)));
  }
}
