package dev.smartgateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Resource settings as JSON with the keys and value formats of the YAML ({@code startTimeout: "5m"}, ...),
 * both ways: the admin API shows a resource's settings this way and registers one from such a document, with
 * the same checks and the same messages as the configuration file.
 */
public final class ResourceSettingsJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Provider keys whose values are not shown (credentials). */
  private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|token|key|credential).*");

  private ResourceSettingsJson() {
  }

  /**
   * Reads a resource's settings from a JSON document, merged over {@code defaults} like a {@code resources.<id>}
   * entry of the file. Throws a {@link ConfigException} listing every problem, each under its full key
   * ({@code resources.<id>.<key>}).
   */
  public static ResourceSettings read(String resource, String json, ResourceSettings defaults) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (Exception e) {
      throw new ConfigException("resources." + resource, "not a JSON object (" + e.getMessage() + ")");
    }
    ConfigProblems problems = new ConfigProblems();
    ConfigSection section = new ConfigSection("resources." + resource, node, problems);
    ResourceSettings settings = null;
    try {
      settings = ResourceSettingsReader.read(section, defaults);
    } catch (ConfigException e) {
      problems.add(e);
    }
    if (!problems.isEmpty()) {
      throw ConfigException.of(problems.all().stream().map(p -> new ConfigException(p.key(), p.reason())).toList());
    }
    return settings;
  }

  private static String d(java.time.Duration duration) {
    return Durations.format(duration);
  }

  /** The settings in effect, every key present, in the file's format (provider credentials masked). */
  public static JsonObject write(ResourceSettings s) {
    ProbeConfig r = s.readiness();
    LivenessConfig l = s.liveness();
    JsonObject json = new JsonObject()
        .put("startTimeout", d(s.startTimeout()))
        .put("idleTimeout", d(s.idleTimeout()))
        .put("maxWaiting", s.maxWaiting())
        .put("drainTimeout", d(s.drainTimeout()))
        .put("readiness", new JsonObject().put("path", r.path())
            .put("status", r.statusMin() == r.statusMax() ? Integer.toString(r.statusMin()) : r.statusMin() + "-" + r.statusMax())
            .put("interval", d(r.interval())).put("timeout", d(r.timeout())))
        .put("liveness", new JsonObject().put("ping", d(l.ping())).put("pongDiscardTimeout", d(l.pongDiscardTimeout()))
            .put("misses", l.misses()).put("connectFailures", l.connectFailures()))
        .put("releaseConcurrency", s.releaseConcurrency())
        .put("connectTimeout", d(s.connectTimeout()))
        .put("responseTimeout", d(s.responseTimeout()))
        .put("allowedGroups", new JsonArray(s.allowedGroups().stream().sorted().toList()))
        .put("browser", s.browser().name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .put("maxInstances", s.maxInstances())
        .put("startBackoff", new JsonObject().put("initial", d(s.startBackoff().initial()))
            .put("max", d(s.startBackoff().max())))
        .put("ignoreUserAgents", new JsonArray(s.ignoreUserAgents().expressions()))
        .put("idlePolicy", s.idlePolicy().name().toLowerCase(Locale.ROOT))
        .put("minInstances", s.minInstances())
        .put("targetConcurrency", s.targetConcurrency())
        .put("maxConcurrency", s.maxConcurrency())
        .put("scaleDownDelay", d(s.scaleDownDelay()))
        .put("balancing", s.balancing().name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .put("keepWarm", keepWarm(s.keepWarm()))
        .put("cache", new JsonObject().put("enabled", s.cache().enabled()).put("defaultTtl", d(s.cache().defaultTtl()))
            .put("maxBytes", Sizes.format(s.cache().maxBytes()))
            .put("maxEntryBytes", Sizes.format(s.cache().maxEntryBytes())))
        .put("protocol", s.protocol().key());
    if (s.provider() != null) {
      json.put("provider", masked(s.provider()));
    }
    return json;
  }

  private static JsonArray keepWarm(java.util.List<KeepWarmWindow> windows) {
    JsonArray out = new JsonArray();
    for (KeepWarmWindow w : windows) {
      out.add(new JsonObject().put("days", KeepWarmReader.formatDays(w.days()))
          .put("from", w.from().toString()).put("to", w.to().equals(java.time.LocalTime.MIDNIGHT) ? "24:00" : w.to().toString())
          .put("zone", w.zone().getId()).put("instances", w.instances()).put("lead", d(w.lead())));
    }
    return out;
  }

  private static JsonObject masked(ProviderConfig provider) {
    JsonObject shown = new JsonObject().put("type", provider.type());
    for (Map.Entry<String, Object> e : provider.settings()) {
      if (!e.getKey().equals("type")) {
        shown.put(e.getKey(), SECRET.matcher(e.getKey()).matches() ? "***" : e.getValue());
      }
    }
    return shown;
  }
}
