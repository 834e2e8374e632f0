package dev.smartgateway.config;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.config.ResourceSettings.BrowserStrategy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the per-resource settings of {@code defaults} and of each {@code resources.<id>}. Every key is
 * optional and falls back to a base: the built-in defaults for {@code defaults}, the effective
 * {@code defaults} for a resource. {@code readiness} and {@code cache} are merged key by key; {@code allowedGroups},
 * {@code ignoreUserAgents} and {@code provider} replace the base's as a whole (mixing two adapters' keys would
 * make no sense, and a shorter list must be able to narrow a longer one).
 */
final class ResourceSettingsReader {

  static final List<String> KEYS = List.of("startTimeout", "idleTimeout", "maxWaiting", "drainTimeout", "readiness", "liveness",
      "releaseConcurrency", "connectTimeout", "responseTimeout", "allowedGroups", "browser", "provider",
      "maxInstances", "startBackoff", "ignoreUserAgents", "idlePolicy", "minInstances", "targetConcurrency", "scaleDownDelay", "balancing", "keepWarm", "cache",
      "protocol", "maxConcurrency");
  private static final List<String> READINESS_KEYS = List.of("path", "status", "interval", "timeout");
  private static final Pattern STATUS = Pattern.compile("(\\d{1,3})(?:\\s*-\\s*(\\d{1,3}))?");

  private ResourceSettingsReader() {
  }

  static ResourceSettings read(ConfigSection s, ResourceSettings base) {
    s.allowOnly(KEYS);
    ResourceSettings read = fields(s, base);
    checkTogether(s, read);
    return read;
  }

  private static ResourceSettings fields(ConfigSection s, ResourceSettings base) {
    return new ResourceSettings(
        s.positiveDuration("startTimeout", base.startTimeout()),
        s.positiveDuration("idleTimeout", base.idleTimeout()),
        s.integer("maxWaiting", base.maxWaiting(), 1, Integer.MAX_VALUE),
        s.positiveDuration("drainTimeout", base.drainTimeout()),
        readiness(s.section("readiness"), base.readiness()),
        liveness(s.section("liveness"), base.liveness()),
        s.integer("releaseConcurrency", base.releaseConcurrency(), 1, Integer.MAX_VALUE),
        s.positiveDuration("connectTimeout", base.connectTimeout()),
        s.positiveDuration("responseTimeout", base.responseTimeout()),
        s.has("allowedGroups") ? groups(s, "allowedGroups") : base.allowedGroups(),
        browser(s, base.browser()),
        s.has("provider") ? ProviderSection.read(s.section("provider")) : base.provider(),
        s.integer("maxInstances", base.maxInstances(), 1, 100_000),
        backoff(s.section("startBackoff"), base.startBackoff()),
        s.has("ignoreUserAgents") ? userAgents(s, "ignoreUserAgents") : base.ignoreUserAgents(),
        idlePolicy(s, base.idlePolicy()),
        s.integer("minInstances", base.minInstances(), 0, 100_000),
        s.integer("targetConcurrency", base.targetConcurrency(), 1, 1_000_000),
        s.positiveDuration("scaleDownDelay", base.scaleDownDelay()),
        balancing(s, base.balancing()),
        KeepWarmReader.read(s, "keepWarm", base.keepWarm()),
        CacheSettingsReader.read(s.section("cache"), base.cache()),
        protocol(s, base.protocol()),
        s.integer("maxConcurrency", base.maxConcurrency(), 0, 1_000_000));
  }

  /** Bounds that only hold together: read after the keys, so each key's own error comes first. */
  static void checkTogether(ConfigSection s, ResourceSettings r) {
    if (r.minInstances() > r.maxInstances()) {
      s.error("minInstances", r.minInstances() + " is more than maxInstances (" + r.maxInstances() + ")");
    }
    for (int i = 0; i < r.keepWarm().size(); i++) {
      if (r.keepWarm().get(i).instances() > r.maxInstances()) {
        s.errorAt(s.key("keepWarm") + "[" + i + "].instances", r.keepWarm().get(i).instances()
            + " is more than maxInstances (" + r.maxInstances() + ")");
      }
    }
  }

  private static ResourceSettings.Balancing balancing(ConfigSection s, ResourceSettings.Balancing base) {
    String value = s.string("balancing", null);
    if (value == null) {
      return base;
    }
    return switch (value) {
      case "least-outstanding" -> ResourceSettings.Balancing.LEAST_OUTSTANDING;
      case "round-robin" -> ResourceSettings.Balancing.ROUND_ROBIN;
      default -> {
        s.error("balancing", ConfigSection.quote(value) + " is not a balancing (allowed: least-outstanding, round-robin)");
        yield base;
      }
    };
  }

  private static ResourceSettings.Protocol protocol(ConfigSection s, ResourceSettings.Protocol base) {
    String value = s.string("protocol", null);
    if (value == null) {
      return base;
    }
    for (ResourceSettings.Protocol protocol : ResourceSettings.Protocol.values()) {
      if (protocol.key().equals(value)) {
        return protocol;
      }
    }
    s.error("protocol", ConfigSection.quote(value) + " is not a protocol towards the VMs (allowed: http1, h2c)");
    return base;
  }

  private static ResourceSettings.IdlePolicy idlePolicy(ConfigSection s, ResourceSettings.IdlePolicy base) {
    String value = s.string("idlePolicy", null);
    if (value == null) {
      return base;
    }
    return switch (value) {
      case "stop" -> ResourceSettings.IdlePolicy.STOP;
      case "suspend" -> ResourceSettings.IdlePolicy.SUSPEND;
      default -> {
        s.error("idlePolicy", ConfigSection.quote(value) + " is not an idle policy (allowed: stop, suspend)");
        yield base;
      }
    };
  }

  private static ResourceSettings.Backoff backoff(ConfigSection s, ResourceSettings.Backoff base) {
    s.allowOnly(List.of("initial", "max"));
    ResourceSettings.Backoff backoff = new ResourceSettings.Backoff(s.duration("initial", base.initial()),
        s.duration("max", base.max()));
    if (backoff.max().compareTo(backoff.initial()) < 0) {
      throw new ConfigException(s.key("max"), "must not be shorter than startBackoff.initial");
    }
    return backoff;
  }

  /** Regular expressions, each compiled here so that a bad one names its key and index. */
  private static UserAgentPatterns userAgents(ConfigSection s, String name) {
    List<String> expressions = s.stringList(name, List.of());
    for (int i = 0; i < expressions.size(); i++) {
      String expression = expressions.get(i);
      if (expression.isEmpty()) {
        throw new ConfigException(s.key(name) + "[" + i + "]", "an empty expression would match every client");
      }
      try {
        Pattern.compile(expression);
      } catch (PatternSyntaxException e) {
        throw new ConfigException(s.key(name) + "[" + i + "]", ConfigSection.quote(expression)
            + " is not a regular expression (" + e.getDescription() + " near index " + e.getIndex() + ")");
      }
    }
    return UserAgentPatterns.of(expressions);
  }

  private static ProbeConfig readiness(ConfigSection s, ProbeConfig base) {
    s.allowOnly(READINESS_KEYS);
    String path = s.string("path", base.path());
    if (!path.startsWith("/") || !path.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      s.error("path", ConfigSection.quote(path)
          + " is not a request path (it must start with / and contain no spaces or control characters)");
      path = base.path();
    }
    StatusRange status = s.parsed("status", new StatusRange(base.statusMin(), base.statusMax()),
        ResourceSettingsReader::statusRange, "a status or range (e.g. 200 or 200-499)");
    return new ProbeConfig(path, status.min(), status.max(),
        s.positiveDuration("interval", base.interval()),
        s.positiveDuration("timeout", base.timeout()));
  }

  private static LivenessConfig liveness(ConfigSection s, LivenessConfig base) {
    s.allowOnly(List.of("ping", "pongDiscardTimeout", "misses", "connectFailures"));
    return new LivenessConfig(
        s.positiveDuration("ping", base.ping()),
        s.positiveDuration("pongDiscardTimeout", base.pongDiscardTimeout()),
        s.integer("misses", base.misses(), 1, 1000),
        s.integer("connectFailures", base.connectFailures(), 1, 1000));
  }

  private record StatusRange(int min, int max) {
  }

  private static StatusRange statusRange(String text) {
    Matcher m = STATUS.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(ConfigSection.quote(text) + " is not a status or range (use e.g. 200 or 200-499)");
    }
    int min = Integer.parseInt(m.group(1));
    int max = m.group(2) == null ? min : Integer.parseInt(m.group(2));
    if (min < 100 || max > 599) {
      throw new IllegalArgumentException(ConfigSection.quote(text) + ": HTTP statuses are 100..599");
    }
    if (min > max) {
      throw new IllegalArgumentException(ConfigSection.quote(text) + ": the range is empty (write the lower status first)");
    }
    return new StatusRange(min, max);
  }

  private static Set<String> groups(ConfigSection s, String name) {
    List<String> names = s.stringList(name, List.of());
    Set<String> groups = new LinkedHashSet<>();
    for (int i = 0; i < names.size(); i++) {
      if (GroupSet.isValidName(names.get(i))) {
        groups.add(names.get(i));
      } else {
        s.errorAt(s.key(name) + "[" + i + "]", ConfigSection.quote(names.get(i))
            + " is not a group name (" + GroupSet.NAME_GRAMMAR + ")");
      }
    }
    return groups;
  }

  private static BrowserStrategy browser(ConfigSection s, BrowserStrategy base) {
    String value = s.string("browser", null);
    if (value == null) {
      return base;
    }
    return switch (value) {
      case "waiting-page" -> BrowserStrategy.WAITING_PAGE;
      case "hold" -> BrowserStrategy.HOLD;
      default -> {
        s.error("browser", ConfigSection.quote(value) + " is not a browser strategy (allowed: waiting-page, hold)");
        yield base;
      }
    };
  }
}
