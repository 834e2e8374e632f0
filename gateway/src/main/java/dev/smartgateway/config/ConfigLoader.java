package dev.smartgateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smartgateway.config.AccessConfig.TrustMode;
import dev.smartgateway.routing.Names;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the gateway's YAML configuration (see {@code config/gateway.yaml} for every key and its default).
 * The YAML is read into a tree and the records are built by hand, so that every problem, from a syntax
 * error to a misspelt key, is a {@link ConfigException} naming the file, the dotted key and why. Only
 * {@code provider} sections accept any key: they belong to the cloud adapter.
 */
public final class ConfigLoader {

  private static final List<String> TOP_KEYS = List.of("server", "provider", "cloud", "access", "limits", "defaults", "resources");
  private static final List<String> SERVER_KEYS = List.of("host", "port", "prefix", "maxBodySize", "maxHeaderSize",
      "maxRequestLineSize", "idleTimeout", "shutdownGrace", "requestHeaderTimeout", "bodyIdleTimeout", "maxConnections",
      "trustedProxies", "accessLogQueue", "webSocketIdleTimeout");

  private ConfigLoader() {
  }

  /** Reads a UTF-8 YAML file; errors name the file as given. */
  public static GatewayConfig load(Path file) {
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
    return parse(yaml, source);
  }

  /**
   * @param yaml       the document; empty (or {@code {}}) means all defaults
   * @param sourceName where it came from, for messages (a file name)
   */
  public static GatewayConfig parse(String yaml, String sourceName) {
    JsonNode root = YamlDocument.read(yaml, sourceName);
    try {
      return build(new ConfigSection("", root));
    } catch (ConfigException e) {
      throw e.in(sourceName);
    }
  }

  private static GatewayConfig build(ConfigSection root) {
    root.allowOnly(TOP_KEYS);
    ResourceSettings defaults = ResourceSettingsReader.read(root.section("defaults"), ResourceSettings.defaults());
    return new GatewayConfig(
        server(root.section("server")),
        root.has("provider") ? ProviderSection.read(root.section("provider")) : ProviderConfig.embeddedMock(),
        access(root.section("access")),
        defaults,
        resources(root.section("resources"), defaults),
        limits(root.section("limits")),
        cloud(root.section("cloud")));
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
      throw new ConfigException(s.key("host"), "must not be empty (0.0.0.0 listens on every interface)");
    }
    String prefix = s.string("prefix", d.prefix());
    if (!Names.isPrefix(prefix)) {
      throw new ConfigException(s.key("prefix"), ConfigSection.quote(prefix)
          + " is not a path segment (" + Names.PREFIX_GRAMMAR + ", without slashes)");
    }
    return new ServerConfig(host,
        s.integer("port", d.port(), 0, 65535),
        prefix,
        s.size("maxBodySize", d.maxBodyBytes(), Long.MAX_VALUE),
        (int) s.size("maxHeaderSize", d.maxHeaderBytes(), Integer.MAX_VALUE),
        (int) s.size("maxRequestLineSize", d.maxInitialLineLength(), Integer.MAX_VALUE),
        s.positiveDuration("idleTimeout", d.idleTimeout()),
        s.positiveDuration("shutdownGrace", d.shutdownGrace()),
        s.positiveDuration("requestHeaderTimeout", d.requestHeaderTimeout()),
        s.positiveDuration("bodyIdleTimeout", d.bodyIdleTimeout()),
        s.integer("maxConnections", d.maxConnections(), 1, Integer.MAX_VALUE),
        trustedProxies(s),
        s.integer("accessLogQueue", d.accessLogQueue(), 1, 1 << 24),
        s.duration("webSocketIdleTimeout", d.webSocketIdleTimeout()));
  }

  private static List<IpRange> trustedProxies(ConfigSection s) {
    List<String> entries = s.stringList("trustedProxies", List.of());
    List<IpRange> ranges = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      try {
        ranges.add(IpRange.parse(entries.get(i)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(s.key("trustedProxies") + "[" + i + "]", e.getMessage());
      }
    }
    return ranges;
  }

  private static AccessConfig access(ConfigSection s) {
    s.allowOnly(List.of("groups"));
    String mode = s.string("groups", "url");
    if (!mode.equals("url")) {
      throw new ConfigException(s.key("groups"), ConfigSection.quote(mode) + " is not a trust mode (allowed: url)");
    }
    return new AccessConfig(TrustMode.URL);
  }

  private static LimitsConfig limits(ConfigSection s) {
    s.allowOnly(List.of("maxWaitingTotal", "unknownResourceTtl", "startsPerSecond", "connectionsPerVm",
        "connectionQueuePerVm", "connectionWait", "vmIdleTimeout"));
    LimitsConfig d = LimitsConfig.defaults();
    return new LimitsConfig(
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
        throw new ConfigException(section.path(), ConfigSection.quote(id)
            + " is not a resource id (" + Names.RESOURCE_GRAMMAR + ")");
      }
      resources.put(id, ResourceSettingsReader.read(section, defaults));
    });
    return resources;
  }
}
