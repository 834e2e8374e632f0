package com.example.smartgateway.nimbus;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code provider} section for {@code type: example-cloud}, validated. Errors name the key, as the
 * gateway asks of adapters ({@code provider.images: required ...}).
 *
 * @param apiUrl         base URL of the Nimbus API, e.g. {@code https://api.nimbus.example}
 * @param token          the API token, sent as {@code Authorization: Bearer <token>}
 * @param images         which machine image serves each resource
 * @param requestTimeout bound on each API call
 */
record NimbusSettings(URI apiUrl, String token, Map<String, String> images, Duration requestTimeout) {

  private static final Set<String> KEYS = Set.of("type", "apiUrl", "token", "tokenEnv", "images", "requestTimeout");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

  NimbusSettings {
    images = Map.copyOf(images);
  }

  /** @throws IllegalArgumentException naming the offending key */
  static NimbusSettings parse(JsonObject provider) {
    for (String key : provider.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("provider." + key + ": unknown key (known: " + String.join(", ", KEYS) + ")");
      }
    }
    URI apiUrl = apiUrl(provider.getValue("apiUrl"));
    String token = token(provider);

    Object imagesValue = provider.getValue("images");
    if (!(imagesValue instanceof JsonObject imagesJson) || imagesJson.isEmpty()) {
      throw new IllegalArgumentException("provider.images: required, a map of resource id to Nimbus image");
    }
    Map<String, String> images = new LinkedHashMap<>();
    for (String resource : imagesJson.fieldNames()) {
      if (!(imagesJson.getValue(resource) instanceof String image) || image.isBlank()) {
        throw new IllegalArgumentException("provider.images." + resource + ": must be an image name");
      }
      images.put(resource, image);
    }
    return new NimbusSettings(apiUrl, token, images, duration(provider.getValue("requestTimeout")));
  }

  private static URI apiUrl(Object value) {
    if (!(value instanceof String text) || text.isBlank()) {
      throw new IllegalArgumentException("provider.apiUrl: required, e.g. https://api.nimbus.example");
    }
    try {
      URI uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("provider.apiUrl: not an http(s) URL: '" + text + "'");
    }
  }

  /** {@code token} inline, or {@code tokenEnv}: the name of an environment variable holding it (keeps it out of files). */
  private static String token(JsonObject provider) {
    Object token = provider.getValue("token");
    Object tokenEnv = provider.getValue("tokenEnv");
    if (token != null && tokenEnv != null) {
      throw new IllegalArgumentException("provider.token: give token or tokenEnv, not both");
    }
    if (tokenEnv instanceof String variable && !variable.isBlank()) {
      String value = System.getenv(variable);
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("provider.tokenEnv: environment variable " + variable + " is not set");
      }
      return value;
    }
    if (!(token instanceof String text) || text.isBlank()) {
      throw new IllegalArgumentException("provider.token: required (or provider.tokenEnv)");
    }
    return text;
  }

  private static Duration duration(Object value) {
    if (value == null) {
      return Duration.ofSeconds(10);
    }
    Matcher m = value instanceof String text ? DURATION.matcher(text) : null;
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("provider.requestTimeout: expected a duration like 500ms, 10s or 1m");
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      default -> Duration.ofMinutes(amount);
    };
  }
}
