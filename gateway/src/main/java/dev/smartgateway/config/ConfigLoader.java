package dev.smartgateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smartgateway.routing.Names;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the gateway's YAML configuration (see {@code config/gateway.yaml} for every key and its default).
 * The YAML is read into a tree and the records are built by hand, so that every problem, from a syntax
 * error to a misspelt key, is a {@link ConfigException} naming the file, the dotted key and why; a document
 * with several problems gets them all reported at once. Only {@code provider} sections accept any key: they
 * belong to the cloud adapter. {@link ConfigOverrides} (environment, {@code --set}) are laid over the file
 * before it is validated, and go through the same checks.
 */
public final class ConfigLoader {

  private static final List<String> TOP_KEYS = List.of("gateway", "server", "provider", "cloud", "access", "limits", "defaults", "resources",
      "admin", "state", "store", "metrics", "cluster");
  private static final List<String> SERVER_KEYS = List.of("host", "port", "prefix", "maxBodySize", "maxHeaderSize",
      "maxRequestLineSize", "idleTimeout", "shutdownGrace", "requestHeaderTimeout", "bodyIdleTimeout", "maxConnections",
      "trustedProxies", "maxResponseHeaderSize", "maxResponseLineSize", "accessLogQueue", "webSocketIdleTimeout",
      "waitingPageTemplate", "tls", "http2");

  private ConfigLoader() {
  }

  /** Reads a UTF-8 YAML file; errors name the file as given. */
  public static GatewayConfig load(Path file) {
    return load(file, ConfigOverrides.none()).config();
  }

  /** Reads a UTF-8 YAML file with {@code overrides} laid over it; every problem at once, each naming its source and key. */
  public static Loaded load(Path file, ConfigOverrides overrides) {
    String source = file.toString();
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(source, "", "file not found");
    } catch (MalformedInputException e) {
      throw new ConfigException(source, "", "not UTF-8 text");
    } catch (IOException e) {
      throw new ConfigException(source, "", "cannot read the file (" + e + ")");
    }
    return parse(yaml, source, overrides);
  }

  /**
   * @param yaml       the document; empty (or {@code {}}) means all defaults
   * @param sourceName where it came from, for messages (a file name)
   */
  public static GatewayConfig parse(String yaml, String sourceName) {
    return parse(yaml, sourceName, ConfigOverrides.none()).config();
  }

  /** A configuration and where its keys came from. */
  public record Loaded(GatewayConfig config, ConfigOrigins origins) {
  }

  /**
   * Reads {@code yaml}, lays {@code overrides} over it and validates the result. Every problem is collected
   * (a reader records it and goes on with a fallback) and thrown at the end as one {@link ConfigException},
   * each problem attributed to the file, {@code --set} or the variable that set its key. Only a YAML syntax
   * error in the file stops at once: nothing after it can be read.
   */
  public static Loaded parse(String yaml, String sourceName, ConfigOverrides overrides) {
    JsonNode root = YamlDocument.read(yaml, sourceName);
    Set<String> filePaths = ConfigOverrides.paths(root);
    ConfigOverrides.Result layered = overrides.applyTo(root, overrides.isEmpty() ? List.of() : keyPaths(root, filePaths));
    ConfigOrigins origins = new ConfigOrigins(sourceName, layered.applied(), filePaths);

    List<ConfigException> problems = new ArrayList<>(layered.problems());
    ConfigProblems found = new ConfigProblems();
    GatewayConfig config = null;
    try {
      config = build(new ConfigSection("", layered.root(), found));
    } catch (ConfigException e) {
      found.add(e);
    } catch (RuntimeException e) {
      // A reader that recorded a problem may leave a null (a wrong provider section) that a record refuses;
      // the recorded problems are what is reported. Without any, it is a bug.
      if (found.isEmpty()) {
        throw e;
      }
    }
    found.all().forEach(p -> problems.add(new ConfigException(origins.sourceOf(p.key()), p.key(), p.reason())));
    if (!problems.isEmpty()) {
      throw ConfigException.of(problems);
    }
    return new Loaded(config, origins);
  }

  /**
   * The key paths a {@code SMART_GATEWAY_*} variable may name: every key some section allows (found by
   * reading the document once, problems ignored, so keys added to a reader are reachable at once), the
   * {@code type} of every provider section, and every key the file has (resources, provider keys).
   */
  static Set<String> keyPaths(JsonNode root, Set<String> filePaths) {
    ConfigProblems dryRun = new ConfigProblems();
    try {
      build(new ConfigSection("", root, dryRun));
    } catch (RuntimeException ignored) {
      // Only the keys the sections allowed matter here; the real run reports the problems.
    }
    Set<String> paths = new LinkedHashSet<>(dryRun.allowedPaths());
    new ArrayList<>(paths).stream().filter(p -> p.equals("provider") || p.endsWith(".provider"))
        .forEach(p -> paths.add(p + ".type"));
    paths.addAll(filePaths);
    return paths;
  }

  private static GatewayConfig build(ConfigSection root) {
    root.allowOnly(TOP_KEYS);
    ResourceSettings defaults = ResourceSettingsReader.read(root.section("defaults"), ResourceSettings.defaults());
    ServerConfig server = server(root.section("server"));
    return new GatewayConfig(
        server,
        root.has("provider") ? ProviderSection.read(root.section("provider")) : ProviderConfig.embeddedMock(),
        AccessConfigReader.read(root.section("access")),
        defaults,
        resources(root.section("resources"), defaults),
        limits(root.section("limits")),
        cloud(root.section("cloud")),
        identity(root.section("gateway"), server),
        admin(root.section("admin")),
        store(root.section("store"), root.section("state")),
        metrics(root.section("metrics")),
        ClusterReader.read(root.section("cluster")));
  }

  private static MetricsConfig metrics(ConfigSection s) {
    s.allowOnly(List.of("enabled", "vertx", "maxResources"));
    MetricsConfig d = MetricsConfig.defaults();
    return new MetricsConfig(s.bool("enabled", d.enabled()), s.bool("vertx", d.vertx()),
        s.integer("maxResources", d.maxResources(), 0, 100_000));
  }

  private static AdminConfig admin(ConfigSection s) {
    s.allowOnly(List.of("enabled", "host", "port", "tokenFile", "tokenEnv", "tls", "fanout"));
    AdminConfig d = AdminConfig.defaults();
    String host = s.string("host", d.host());
    if (host.isBlank()) {
      s.error("host", "must not be empty");
      host = d.host();
    }
    TlsConfig tls = TlsConfigReader.read(s.section("tls"));
    String tokenEnv = s.string("tokenEnv", null);
    if (tokenEnv != null && !tokenEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      s.error("tokenEnv", ConfigSection.quote(tokenEnv) + " is not an environment variable name");
    }
    String tokenFile = s.string("tokenFile", null);
    ConfigSection fanout = s.section("fanout");
    fanout.allowOnly(List.of("maxTargets", "maxConcurrency", "maxBodySize"));
    return new AdminConfig(
        s.bool("enabled", d.enabled()),
        host,
        s.integer("port", d.port(), 0, 65535),
        tokenFile == null ? null : Path.of(tokenFile),
        tokenEnv,
        tls,
        fanout.integer("maxTargets", d.fanoutMaxTargets(), 1, 100_000),
        fanout.integer("maxConcurrency", d.fanoutMaxConcurrency(), 1, 1024),
        fanout.size("maxBodySize", d.fanoutMaxBodyBytes(), 64L << 20));
  }

  private static StoreConfig store(ConfigSection s, ConfigSection state) {
    state.allowOnly(List.of("dir"));
    s.allowOnly(List.of("type", "url", "passwordEnv", "passwordFile", "retention", "writeQueue"));
    StoreConfig d = StoreConfig.defaults();
    String type = s.string("type", "embedded");
    StoreConfig.Type parsed = switch (type) {
      case "embedded" -> StoreConfig.Type.EMBEDDED;
      case "postgresql" -> StoreConfig.Type.POSTGRESQL;
      case "memory" -> StoreConfig.Type.MEMORY;
      default -> {
        s.error("type", ConfigSection.quote(type) + " is not a store type (allowed: embedded, postgresql, memory)");
        yield d.type();
      }
    };
    String url = s.string("url", null);
    if (parsed == StoreConfig.Type.POSTGRESQL && url == null) {
      s.error("url", "required with store.type postgresql (postgresql://user@host:5432/database)");
    } else if (url != null && !url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
      s.error("url", ConfigSection.quote(url) + " is not a PostgreSQL URL (postgresql://user@host:5432/database)");
    }
    String dir = state.string("dir", d.dir().toString());
    if (dir.isBlank()) {
      state.error("dir", "must not be empty");
      dir = d.dir().toString();
    }
    String passwordFile = s.string("passwordFile", null);
    ConfigSection retention = s.section("retention");
    retention.allowOnly(List.of("maxAge", "maxEvents", "maxTasks"));
    return new StoreConfig(parsed, Path.of(dir), url, s.string("passwordEnv", null),
        passwordFile == null ? null : Path.of(passwordFile),
        retention.positiveDuration("maxAge", d.maxAge()),
        retention.integer("maxEvents", (int) d.maxEvents(), 1, Integer.MAX_VALUE),
        retention.integer("maxTasks", (int) d.maxTasks(), 1, Integer.MAX_VALUE),
        s.integer("writeQueue", d.writeQueue(), 1, 10_000_000));
  }

  /** {@code gateway.id}; by default the host name and the public port. */
  private static GatewayIdentity identity(ConfigSection s, ServerConfig server) {
    s.allowOnly(List.of("id"));
    String id = s.string("id", null);
    if (id == null) {
      return GatewayIdentity.defaultFor(server.port());
    }
    if (!GatewayIdentity.isValid(id)) {
      throw new ConfigException(s.key("id"), ConfigSection.quote(id) + " is not a gateway id (" + GatewayIdentity.GRAMMAR + ")");
    }
    return new GatewayIdentity(id);
  }

  private static CloudCallsConfig cloud(ConfigSection s) {
    s.allowOnly(List.of("timeout", "retryCount", "retryInterval", "breaker"));
    CloudCallsConfig d = CloudCallsConfig.defaults();
    ConfigSection b = s.section("breaker");
    b.allowOnly(List.of("failureRate", "minimumCalls", "window", "openFor", "halfOpenCalls"));
    int window = b.integer("window", d.breakerWindow(), 1, 10_000);
    return new CloudCallsConfig(
        s.positiveDuration("timeout", d.timeout()),
        s.integer("retryCount", d.retryCount(), 0, 100),
        s.positiveDuration("retryInterval", d.retryInterval()),
        b.integer("failureRate", d.breakerFailureRate(), 1, 100),
        b.integer("minimumCalls", Math.min(d.breakerMinimumCalls(), window), 1, window),
        window,
        b.positiveDuration("openFor", d.breakerOpenFor()),
        b.integer("halfOpenCalls", d.breakerHalfOpenCalls(), 1, 1000));
  }

  private static ServerConfig server(ConfigSection s) {
    s.allowOnly(SERVER_KEYS);
    ServerConfig d = ServerConfig.defaults();
    String host = s.string("host", d.host());
    if (host.isBlank()) {
      s.error("host", "must not be empty (0.0.0.0 listens on every interface)");
      host = d.host();
    }
    String prefix = s.string("prefix", d.prefix());
    if (!Names.isPrefix(prefix)) {
      s.error("prefix", ConfigSection.quote(prefix) + " is not a path segment (" + Names.PREFIX_GRAMMAR + ", without slashes)");
      prefix = d.prefix();
    }
    int maxHeader = (int) s.size("maxHeaderSize", d.maxHeaderBytes(), Integer.MAX_VALUE);
    return new ServerConfig(host,
        s.integer("port", d.port(), 0, 65535),
        prefix,
        s.size("maxBodySize", d.maxBodyBytes(), Long.MAX_VALUE),
        maxHeader,
        (int) s.size("maxRequestLineSize", d.maxInitialLineLength(), Integer.MAX_VALUE),
        s.positiveDuration("idleTimeout", d.idleTimeout()),
        s.positiveDuration("shutdownGrace", d.shutdownGrace()),
        s.positiveDuration("requestHeaderTimeout", d.requestHeaderTimeout()),
        s.positiveDuration("bodyIdleTimeout", d.bodyIdleTimeout()),
        s.integer("maxConnections", d.maxConnections(), 1, Integer.MAX_VALUE),
        trustedProxies(s),
        (int) s.size("maxResponseHeaderSize", ServerConfig.defaultMaxResponseHeaderBytes(maxHeader), Integer.MAX_VALUE),
        (int) s.size("maxResponseLineSize", d.maxResponseLineLength(), Integer.MAX_VALUE),
        s.integer("accessLogQueue", d.accessLogQueue(), 1, 1 << 24),
        s.duration("webSocketIdleTimeout", d.webSocketIdleTimeout()),
        waitingPageTemplate(s),
        TlsConfigReader.read(s.section("tls")),
        http2(s.section("http2")));
  }

  private static Http2Config http2(ConfigSection s) {
    s.allowOnly(List.of("maxConcurrentStreams", "initialWindowSize", "connectionWindowSize", "maxResetsPerWindow",
        "resetWindow"));
    Http2Config d = Http2Config.defaults();
    Duration window = s.positiveDuration("resetWindow", d.resetWindow());
    if (window.toNanos() % 1_000_000_000L != 0) {
      // Netty counts resets per whole-second window.
      s.error("resetWindow", Durations.format(window) + " is not a whole number of seconds");
      window = d.resetWindow();
    }
    return new Http2Config(
        s.integer("maxConcurrentStreams", d.maxConcurrentStreams(), 1, 1_000_000),
        (int) window(s, "initialWindowSize", d.initialWindowSize()),
        (int) window(s, "connectionWindowSize", d.connectionWindowSize()),
        s.integer("maxResetsPerWindow", d.maxResetsPerWindow(), 0, Integer.MAX_VALUE),
        window);
  }

  /** A flow-control window: at least the protocol's 64k - 1, at most 2^31 - 1 (RFC 9113 section 6.9). */
  private static long window(ConfigSection s, String name, int fallback) {
    long size = s.size(name, fallback, Http2Config.MAX_WINDOW);
    if (size < Http2Config.PROTOCOL_WINDOW) {
      s.error(name, size + " bytes is below HTTP/2's initial window of " + Http2Config.PROTOCOL_WINDOW + " bytes");
      return fallback;
    }
    return size;
  }

  /** A path, read at start (where a missing file is reported under this key); blank is refused here. */
  private static Path waitingPageTemplate(ConfigSection s) {
    String file = s.string("waitingPageTemplate", null);
    if (file != null && file.isBlank()) {
      s.error("waitingPageTemplate", "must not be empty (leave it out for the built-in page)");
      return null;
    }
    return file == null ? null : Path.of(file);
  }

  private static List<IpRange> trustedProxies(ConfigSection s) {
    List<String> entries = s.stringList("trustedProxies", List.of());
    List<IpRange> ranges = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      try {
        ranges.add(IpRange.parse(entries.get(i)));
      } catch (IllegalArgumentException e) {
        s.errorAt(s.key("trustedProxies") + "[" + i + "]", e.getMessage());
      }
    }
    return ranges;
  }

  private static LimitsConfig limits(ConfigSection s) {
    s.allowOnly(List.of("maxInstances", "maxWaitingTotal", "unknownResourceTtl", "startsPerSecond", "connectionsPerVm",
        "connectionQueuePerVm", "connectionWait", "vmIdleTimeout"));
    LimitsConfig d = LimitsConfig.defaults();
    return new LimitsConfig(
        s.integer("maxInstances", d.maxInstances(), 1, 1_000_000),
        s.integer("maxWaitingTotal", d.maxWaitingTotal(), 1, Integer.MAX_VALUE),
        s.duration("unknownResourceTtl", d.unknownResourceTtl()),
        s.integer("startsPerSecond", d.startsPerSecond(), 0, 1_000_000),
        // Vert.x's pool allocates a slot array of this size per VM and event loop up front: bounded.
        s.integer("connectionsPerVm", d.connectionsPerVm(), 1, 65_536),
        s.integer("connectionQueuePerVm", d.connectionQueuePerVm(), 0, Integer.MAX_VALUE),
        s.positiveDuration("connectionWait", d.connectionWait()),
        s.duration("vmIdleTimeout", d.vmIdleTimeout()));
  }

  private static Map<String, ResourceSettings> resources(ConfigSection s, ResourceSettings defaults) {
    Map<String, ResourceSettings> resources = new LinkedHashMap<>();
    s.entries().forEach((id, section) -> {
      if (!Names.isResourceId(id)) {
        s.errorAt(section.path(), ConfigSection.quote(id) + " is not a resource id (" + Names.RESOURCE_GRAMMAR + ")");
      }
      resources.put(id, ResourceSettingsReader.read(section, defaults));
    });
    return resources;
  }
}
