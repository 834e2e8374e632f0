package dev.smartgateway.config;

import dev.smartgateway.config.AccessConfig.TrustMode;
import dev.smartgateway.config.ResourceSettings.BrowserStrategy;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static dev.smartgateway.config.ConfigTexts.failure;
import static dev.smartgateway.config.ConfigTexts.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

  // --- defaults ---

  @ParameterizedTest
  @ValueSource(strings = {"", "{}", "# only a comment\n", "---\n", "server:\ndefaults:\nresources:\n"})
  void anEmptyDocumentMeansAllDefaults(String yaml) {
    assertThat(parse(yaml)).isEqualTo(GatewayConfig.allDefaults());
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    GatewayConfig config = parse("");
    assertThat(config.server()).isEqualTo(new ServerConfig("0.0.0.0", 8080, "smart_proxy", 1L << 30, 16384, 8192,
        Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(60), 10_000, List.of()));
    assertThat(config.provider().type()).isEqualTo("mock");
    assertThat(config.provider().settings()).isEqualTo(new JsonObject().put("type", "mock").put("embedded", true));
    assertThat(config.access().groups()).isEqualTo(TrustMode.URL);
    assertThat(config.limits().maxWaitingTotal()).isEqualTo(10_000);
    assertThat(config.resources()).isEmpty();

    ResourceSettings d = config.defaults();
    assertThat(d.startTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(d.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(d.maxWaiting()).isEqualTo(1000);
    assertThat(d.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.readiness()).isEqualTo(new ProbeConfig("/", 200, 499, Duration.ofMillis(25), Duration.ofSeconds(2)));
    assertThat(d.releaseConcurrency()).isEqualTo(64);
    assertThat(d.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.responseTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(d.allowedGroups()).isEmpty();
    assertThat(d.browser()).isEqualTo(BrowserStrategy.WAITING_PAGE);
    assertThat(d.provider()).isNull();
  }

  // --- reading every section ---

  @Test
  void readsEveryServerKey() {
    ServerConfig server = parse("""
        server:
          host: 127.0.0.1
          port: 0
          prefix: vms
          maxBodySize: 10m
          maxHeaderSize: 32k
          maxRequestLineSize: 4096
          idleTimeout: 90s
          shutdownGrace: 5s
          requestHeaderTimeout: 2s
          bodyIdleTimeout: 15s
          maxConnections: 500
          trustedProxies: [10.0.0.0/8, 192.0.2.7, "2001:db8::/32"]
        """).server();
    assertThat(server).isEqualTo(new ServerConfig("127.0.0.1", 0, "vms", 10L << 20, 32 << 10, 4096,
        Duration.ofSeconds(90), Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(15), 500,
        List.of(IpRange.parse("10.0.0.0/8"), IpRange.parse("192.0.2.7"), IpRange.parse("2001:db8::/32"))));
  }

  @Test
  void trustedProxiesMatchTheirAddressesAndBlocksOnly() {
    ServerConfig server = parse("server: {trustedProxies: [10.0.0.0/8, 192.0.2.7, '2001:db8::/32']}").server();
    assertThat(server.trustsProxy("10.200.3.4")).isTrue();
    assertThat(server.trustsProxy("192.0.2.7")).isTrue();
    assertThat(server.trustsProxy("::ffff:192.0.2.7")).isTrue();
    assertThat(server.trustsProxy("2001:db8:0:1::5")).isTrue();
    assertThat(server.trustsProxy("192.0.2.8")).isFalse();
    assertThat(server.trustsProxy("11.0.0.1")).isFalse();
    assertThat(server.trustsProxy("2001:db9::1")).isFalse();
    assertThat(server.trustsProxy("not-an-address")).isFalse();
    assertThat(parse("").server().trustsProxy("127.0.0.1")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"proxy.example", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "'::1/129'", "1.2.3", "''"})
  void trustedProxiesMustBeIpLiteralsOrCidrBlocks(String entry) {
    ConfigException e = failure("server: {trustedProxies: [127.0.0.1, " + entry + "]}");
    assertThat(e.key()).isEqualTo("server.trustedProxies[1]");
  }

  @Test
  void slowClientLimitsMustBePositive() {
    assertThat(failure("server: {requestHeaderTimeout: 0}").key()).isEqualTo("server.requestHeaderTimeout");
    assertThat(failure("server: {bodyIdleTimeout: 0}").key()).isEqualTo("server.bodyIdleTimeout");
    assertThat(failure("server: {maxConnections: 0}").reason()).contains("out of range (1..");
    assertThat(failure("server: {trustedProxies: 10.0.0.0/8}").reason()).contains("expected a list");
  }

  @Test
  void passesTheProviderSectionThroughWithItsType() {
    ProviderConfig provider = parse("""
        provider:
          type: mock
          url: http://127.0.0.1:9090
          nested: {retries: 3, names: [a, b]}
        """).provider();
    assertThat(provider.type()).isEqualTo("mock");
    assertThat(provider.settings()).isEqualTo(new JsonObject()
        .put("type", "mock")
        .put("url", "http://127.0.0.1:9090")
        .put("nested", new JsonObject().put("retries", 3).put("names", new io.vertx.core.json.JsonArray().add("a").add("b"))));
  }

  @Test
  void readsTheCloudCallSettings() {
    CloudCallsConfig cloud = parse("""
        cloud:
          timeout: 3s
          retryCount: 5
          retryInterval: 250ms
          breaker: {failureRate: 25, minimumCalls: 4, window: 8, openFor: 20s, halfOpenCalls: 1}
        """).cloud();
    assertThat(cloud).isEqualTo(new CloudCallsConfig(Duration.ofSeconds(3), 5, Duration.ofMillis(250), 25, 4, 8,
        Duration.ofSeconds(20), 1));
    assertThat(parse("").cloud()).isEqualTo(CloudCallsConfig.defaults());
  }

  @Test
  void aBreakerNeedingMoreCallsThanItsWindowIsRefused() {
    assertThat(failure("cloud: {breaker: {window: 4, minimumCalls: 5}}").getMessage())
        .contains("cloud.breaker.minimumCalls");
    assertThat(failure("cloud: {breaker: {opneFor: 5s}}").getMessage()).contains("opneFor");
  }

  @Test
  void livenessIsReadPerResourceOverTheDefaults() {
    GatewayConfig config = parse("""
        defaults: {liveness: {ping: 5s}}
        resources:
          db: {liveness: {misses: 1}}
        """);
    assertThat(config.defaults().liveness()).isEqualTo(new LivenessConfig(Duration.ofSeconds(5), Duration.ofSeconds(60), 3, 3));
    assertThat(config.settingsFor("db").liveness().misses()).isEqualTo(1);
    assertThat(failure("defaults: {liveness: {ping: 0}}").getMessage()).contains("defaults.liveness.ping");
  }

  @Test
  void readsLimitsAndAccess() {
    GatewayConfig config = parse("limits: {maxWaitingTotal: 5}\naccess: {groups: url}\n");
    assertThat(config.limits().maxWaitingTotal()).isEqualTo(5);
    assertThat(config.access().groups()).isEqualTo(TrustMode.URL);
  }

  @Test
  void readsTheStartBounds() {
    LimitsConfig limits = parse("limits: {unknownResourceTtl: 0s, startsPerSecond: 0}").limits();
    assertThat(limits.unknownResourceTtl()).isZero();
    assertThat(limits.startsPerSecond()).isZero();
    assertThat(failure("limits: {startsPerSecond: -1}").key()).isEqualTo("limits.startsPerSecond");
    assertThat(failure("limits: {unknownResourceTtl: soon}").key()).isEqualTo("limits.unknownResourceTtl");
    assertThat(parse("defaults: {liveness: {connectFailures: 7}}").defaults().liveness().connectFailures()).isEqualTo(7);
    assertThat(failure("defaults: {liveness: {connectFailures: 0}}").key()).isEqualTo("defaults.liveness.connectFailures");
    assertThat(parse("limits: {maxInstances: 7}").limits().maxInstances()).isEqualTo(7);
    assertThat(parse("defaults: {maxInstances: 2}").defaults().maxInstances()).isEqualTo(2);
    assertThat(failure("defaults: {maxInstances: 0}").key()).isEqualTo("defaults.maxInstances");
    assertThat(parse("defaults: {startBackoff: {initial: 2s, max: 10s}}").defaults().startBackoff())
        .isEqualTo(new ResourceSettings.Backoff(Duration.ofSeconds(2), Duration.ofSeconds(10)));
    assertThat(failure("defaults: {startBackoff: {initial: 2s, max: 1s}}").key()).isEqualTo("defaults.startBackoff.max");
  }

  @Test
  void readsTheAccessLogQueueAndTheIdleTimeoutsOfWebSocketsAndVmConnections() {
    ServerConfig server = parse("server: {accessLogQueue: 500, webSocketIdleTimeout: 90s}").server();
    assertThat(server.accessLogQueue()).isEqualTo(500);
    assertThat(server.webSocketIdleTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(parse("").server().accessLogQueue()).isEqualTo(65_536);
    assertThat(parse("").server().webSocketIdleTimeout()).as("never cut for being quiet").isZero();
    assertThat(failure("server: {accessLogQueue: 0}").key()).isEqualTo("server.accessLogQueue");
    assertThat(failure("server: {webSocketIdleTimeout: soon}").key()).isEqualTo("server.webSocketIdleTimeout");
    assertThat(parse("limits: {vmIdleTimeout: 0}").limits().vmIdleTimeout()).isZero();
    assertThat(parse("limits: {vmIdleTimeout: 30s}").limits().vmIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(parse("").limits().vmIdleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(failure("limits: {vmIdleTimeout: later}").key()).isEqualTo("limits.vmIdleTimeout");
  }

  @Test
  void readsTheConnectionPoolBounds() {
    LimitsConfig limits = parse("limits: {connectionsPerVm: 2, connectionQueuePerVm: 0, connectionWait: 300ms}").limits();
    assertThat(limits).isEqualTo(new LimitsConfig(100, 10_000, Duration.ofSeconds(30), 100, 2, 0, Duration.ofMillis(300)));
    assertThat(parse("").limits())
        .isEqualTo(new LimitsConfig(100, 10_000, Duration.ofSeconds(30), 100, 512, 1024, Duration.ofSeconds(10)));
    assertThat(failure("limits: {connectionsPerVm: 0}").key()).isEqualTo("limits.connectionsPerVm");
    assertThat(failure("limits: {connectionQueuePerVm: -1}").key()).isEqualTo("limits.connectionQueuePerVm");
    assertThat(failure("limits: {connectionWait: 0}").key()).isEqualTo("limits.connectionWait");
  }

  @Test
  void readsEveryDefaultsKey() {
    ResourceSettings d = parse("""
        defaults:
          startTimeout: 1m
          idleTimeout: 2h
          maxWaiting: 7
          drainTimeout: 3s
          readiness: {path: /health, status: 200, interval: 50ms, timeout: 1s}
          releaseConcurrency: 8
          connectTimeout: 250ms
          responseTimeout: 2m
          allowedGroups: [ops, dev]
          browser: hold
          provider: {type: static, endpoints: [http://10.0.0.1]}
        """).defaults();
    assertThat(d.startTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(d.idleTimeout()).isEqualTo(Duration.ofHours(2));
    assertThat(d.maxWaiting()).isEqualTo(7);
    assertThat(d.drainTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(d.readiness()).isEqualTo(new ProbeConfig("/health", 200, 200, Duration.ofMillis(50), Duration.ofSeconds(1)));
    assertThat(d.releaseConcurrency()).isEqualTo(8);
    assertThat(d.connectTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(d.responseTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(d.allowedGroups()).containsExactlyInAnyOrder("ops", "dev");
    assertThat(d.browser()).isEqualTo(BrowserStrategy.HOLD);
    assertThat(d.provider().type()).isEqualTo("static");
    assertThat(d.provider().settings().getJsonArray("endpoints").getString(0)).isEqualTo("http://10.0.0.1");
  }

  @Test
  void resourcesAreMergedOverTheDefaults() {
    GatewayConfig config = parse("""
        defaults:
          idleTimeout: 20m
          maxWaiting: 50
          allowedGroups: [g1, g2]
        resources:
          demo: {idleTimeout: 2m, allowedGroups: [g1]}
          other: {}
        """);
    ResourceSettings demo = config.settingsFor("demo");
    assertThat(demo.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(demo.maxWaiting()).isEqualTo(50);
    assertThat(demo.allowedGroups()).containsExactly("g1");
    assertThat(demo.startTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.settingsFor("other")).isEqualTo(config.defaults());
    assertThat(config.settingsFor("unlisted")).isEqualTo(config.defaults());
    assertThat(config.resources()).containsOnlyKeys("demo", "other");
  }

  @Test
  void aResourceWithNoKeysIsRegisteredWithTheDefaults() {
    GatewayConfig config = parse("resources:\n  demo:\n");
    assertThat(config.resources()).containsOnlyKeys("demo");
    assertThat(config.settingsFor("demo")).isEqualTo(config.defaults());
  }

  @Test
  void readinessIsMergedKeyByKey() {
    GatewayConfig config = parse("""
        defaults:
          readiness: {path: /health, status: "200-299"}
        resources:
          demo:
            readiness: {timeout: 500ms}
        """);
    assertThat(config.settingsFor("demo").readiness())
        .isEqualTo(new ProbeConfig("/health", 200, 299, Duration.ofMillis(25), Duration.ofMillis(500)));
  }

  @Test
  void aResourceProviderReplacesTheDefaultOneAsAWhole() {
    GatewayConfig config = parse("""
        defaults:
          provider: {type: mock, url: http://127.0.0.1:9090}
        resources:
          legacy:
            provider: {type: static, endpoint: http://10.0.0.5:80}
          demo: {}
        """);
    assertThat(config.settingsFor("legacy").provider().settings())
        .isEqualTo(new JsonObject().put("type", "static").put("endpoint", "http://10.0.0.5:80"));
    assertThat(config.settingsFor("demo").provider().type()).isEqualTo("mock");
  }

  @Test
  void anEmptyGroupListLiftsTheDefaultRestriction() {
    GatewayConfig config = parse("defaults: {allowedGroups: [ops]}\nresources: {open: {allowedGroups: []}}\n");
    assertThat(config.settingsFor("open").allowedGroups()).isEmpty();
  }

  @Test
  void readinessStatusAcceptsASingleStatusOrARange() {
    assertThat(parse("defaults: {readiness: {status: 204}}").defaults().readiness())
        .extracting(ProbeConfig::statusMin, ProbeConfig::statusMax).containsExactly(204, 204);
    assertThat(parse("defaults: {readiness: {status: \"200\"}}").defaults().readiness().statusMax()).isEqualTo(200);
    assertThat(parse("defaults: {readiness: {status: 100-599}}").defaults().readiness())
        .extracting(ProbeConfig::statusMin, ProbeConfig::statusMax).containsExactly(100, 599);
  }

  // --- errors name the key and why ---

  @Test
  void aBadDurationNamesTheDottedKeyAndTheAcceptedForms() {
    ConfigException e = failure("resources:\n  demo:\n    idleTimeout: 10 minutes\n");
    assertThat(e.key()).isEqualTo("resources.demo.idleTimeout");
    assertThat(e.source()).isEqualTo("test.yaml");
    assertThat(e).hasMessage("test.yaml: resources.demo.idleTimeout: \"10 minutes\" is not a duration "
        + "(use e.g. 250ms, 30s, 5m, 1h)");
  }

  @Test
  void unknownKeysAreErrorsNamingTheAllowedOnes() {
    assertThat(failure("server: {prot: 80}")).satisfies(e -> {
      assertThat(e.key()).isEqualTo("server.prot");
      assertThat(e.reason()).startsWith("unknown key").contains("port", "prefix");
    });
    assertThat(failure("sever: {port: 80}").key()).isEqualTo("sever");
    assertThat(failure("defaults: {idleTimout: 5m}").key()).isEqualTo("defaults.idleTimout");
    assertThat(failure("resources: {demo: {readiness: {paht: /}}}").key()).isEqualTo("resources.demo.readiness.paht");
    assertThat(failure("limits: {maxWaiting: 5}").key()).isEqualTo("limits.maxWaiting");
    assertThat(failure("access: {group: url}").key()).isEqualTo("access.group");
  }

  @Test
  void providerSectionsAcceptAnyKeyButRequireAType() {
    assertThat(parse("provider: {type: x, whatever: 1}").provider().settings().getInteger("whatever")).isEqualTo(1);
    assertThat(failure("provider: {url: http://127.0.0.1:9090}").key()).isEqualTo("provider.type");
    assertThat(failure("provider: {type: 3}").key()).isEqualTo("provider.type");
    assertThat(failure("provider: {type: ''}").key()).isEqualTo("provider.type");
    assertThat(failure("resources: {demo: {provider: {embedded: true}}}").key()).isEqualTo("resources.demo.provider.type");
    assertThat(failure("provider: [mock]").key()).isEqualTo("provider");
  }

  @Test
  void typeMismatchesAreConfigErrorsNotJacksonErrors() {
    assertThat(failure("server: [port, 80]")).satisfies(e -> {
      assertThat(e.key()).isEqualTo("server");
      assertThat(e.reason()).isEqualTo("expected a map of keys, got a list");
    });
    assertThat(failure("server: {port: eighty}").reason()).isEqualTo("expected a whole number, got text \"eighty\"");
    assertThat(failure("server: {port: 80.5}").key()).isEqualTo("server.port");
    assertThat(failure("server: {host: [a]}").key()).isEqualTo("server.host");
    assertThat(failure("defaults: {idleTimeout: {m: 5}}").reason()).startsWith("expected a duration");
    assertThat(failure("defaults: {allowedGroups: g1}").reason()).isEqualTo("expected a list, got text \"g1\"");
    assertThat(failure("defaults: {allowedGroups: [g1, [g2]]}").key()).isEqualTo("defaults.allowedGroups[1]");
    assertThat(failure("resources: [demo]").key()).isEqualTo("resources");
    assertThat(failure("resources: {demo: 5}").key()).isEqualTo("resources.demo");
    assertThat(failure("- a\n- b\n").reason()).isEqualTo("expected a map of keys, got a list");
    assertThat(failure("just text").reason()).startsWith("expected a map of keys");
  }

  @Test
  void numbersOutOfTheirRangeAreRefused() {
    assertThat(failure("server: {port: 65536}").reason()).contains("out of range (0..65535)");
    assertThat(failure("server: {port: -1}").key()).isEqualTo("server.port");
    assertThat(failure("server: {port: 99999999999999999999}").key()).isEqualTo("server.port");
    assertThat(failure("defaults: {maxWaiting: 0}").key()).isEqualTo("defaults.maxWaiting");
    assertThat(failure("defaults: {releaseConcurrency: 0}").key()).isEqualTo("defaults.releaseConcurrency");
    assertThat(failure("limits: {maxWaitingTotal: 0}").key()).isEqualTo("limits.maxWaitingTotal");
    assertThat(failure("server: {maxHeaderSize: 4g}").key()).isEqualTo("server.maxHeaderSize");
    assertThat(failure("server: {maxBodySize: 0}").key()).isEqualTo("server.maxBodySize");
    assertThat(failure("server: {maxRequestLineSize: 8 KB}").reason()).contains("is not a size");
  }

  @ParameterizedTest
  @ValueSource(strings = {"startTimeout", "idleTimeout", "drainTimeout", "connectTimeout", "responseTimeout"})
  void timeoutsMustBeMoreThanZero(String key) {
    ConfigException e = failure("resources: {demo: {" + key + ": 0}}");
    assertThat(e.key()).isEqualTo("resources.demo." + key);
    assertThat(e.reason()).startsWith("must be more than 0");
    assertThat(failure("defaults: {" + key + ": 0ms}").key()).isEqualTo("defaults." + key);
  }

  @Test
  void probeAndServerTimeoutsMustBeMoreThanZeroToo() {
    assertThat(failure("defaults: {readiness: {interval: 0}}").key()).isEqualTo("defaults.readiness.interval");
    assertThat(failure("defaults: {readiness: {timeout: 0s}}").key()).isEqualTo("defaults.readiness.timeout");
    assertThat(failure("server: {idleTimeout: 0}").key()).isEqualTo("server.idleTimeout");
  }

  @ParameterizedTest
  @ValueSource(strings = {"99", "600", "500-400", "2xx", "200-", "200,204", "-200"})
  void readinessStatusMustBeAValidStatusOrRange(String status) {
    ConfigException e = failure("defaults: {readiness: {status: \"" + status + "\"}}");
    assertThat(e.key()).isEqualTo("defaults.readiness.status");
  }

  @ParameterizedTest
  @ValueSource(strings = {"health", "''", "/a b", "[/]"})
  void readinessPathMustBeARequestPath(String path) {
    assertThat(failure("defaults: {readiness: {path: " + path + "}}").key()).isEqualTo("defaults.readiness.path");
  }

  @ParameterizedTest
  @ValueSource(strings = {"'smart/proxy'", "''", "'.'", "'..'", "'a b'", "'%2e'"})
  void prefixMustBeOnePlainPathSegment(String prefix) {
    assertThat(failure("server: {prefix: " + prefix + "}").key()).isEqualTo("server.prefix");
  }

  @Test
  void hostMustNotBeEmpty() {
    assertThat(failure("server: {host: ''}").key()).isEqualTo("server.host");
  }

  @ParameterizedTest
  @ValueSource(strings = {"'-demo'", "'.demo'", "'de mo'", "'de/mo'", "'..'", "'é'"})
  void resourceIdsMustFollowTheUrlGrammar(String id) {
    ConfigException e = failure("resources: {" + id + ": {}}");
    assertThat(e.key()).startsWith("resources.");
    assertThat(e.reason()).contains("is not a resource id");
  }

  @Test
  void aResourceIdOf128CharactersIsFineButNot129() {
    String id = "r" + "x".repeat(127);
    assertThat(parse("resources: {" + id + ": {}}").resources()).containsOnlyKeys(id);
    assertThat(failure("resources: {" + id + "x: {}}").reason()).contains("is not a resource id");
  }

  @ParameterizedTest
  @ValueSource(strings = {"'.'", "'..'", "''", "'a,b'", "'a b'", "'g%31'"})
  void allowedGroupsMustFollowTheGroupGrammar(String group) {
    ConfigException e = failure("resources: {demo: {allowedGroups: [ok, " + group + "]}}");
    assertThat(e.key()).isEqualTo("resources.demo.allowedGroups[1]");
    assertThat(e.reason()).contains("is not a group name");
  }

  @Test
  void aGroupNameLongerThan64IsRefused() {
    assertThat(parse("defaults: {allowedGroups: [" + "g".repeat(64) + "]}").defaults().allowedGroups()).hasSize(1);
    assertThat(failure("defaults: {allowedGroups: [" + "g".repeat(65) + "]}").key()).isEqualTo("defaults.allowedGroups[0]");
  }

  @Test
  void theTrustModesAreUrlAndJwt() {
    ConfigException e = failure("access: {groups: oidc}");
    assertThat(e.key()).isEqualTo("access.groups");
    assertThat(e.reason()).isEqualTo("\"oidc\" is not a trust mode (allowed: url, jwt)");
  }

  @Test
  void browserStrategyIsWaitingPageOrHold() {
    assertThat(parse("defaults: {browser: waiting-page}").defaults().browser()).isEqualTo(BrowserStrategy.WAITING_PAGE);
    ConfigException e = failure("defaults: {browser: WAITING_PAGE}");
    assertThat(e.key()).isEqualTo("defaults.browser");
    assertThat(e.reason()).contains("allowed: waiting-page, hold");
  }

  // --- the document itself ---

  @Test
  void aSyntaxErrorNamesTheFileAndLine() {
    ConfigException e = failure("server:\n  port: 8080\n  host: [unclosed\n");
    assertThat(e.getMessage()).startsWith("test.yaml: line ");
    assertThat(e.key()).isEmpty();
  }

  @Test
  void aSyntaxErrorPointsAtTheProblemNotAtTheEnclosingConstruct() {
    assertThat(failure("server:\n\tport: 8080\n"))
        .hasMessageStartingWith("test.yaml: line 2, column 1: found character '\\t(TAB)' that cannot start any token");
    assertThat(failure("server:\n  port: 8080\n  host: [unclosed\n"))
        .hasMessageContaining("line 4, column 1")
        .hasMessageContaining("while parsing a flow sequence started at line 3, column 9");
  }

  @Test
  void aliasesAreRefusedBecauseTheyWouldBeReadAsTheirName() {
    ConfigException e = failure("defaults: {idleTimeout: &t 5m}\nresources:\n  demo: {idleTimeout: *t}\n");
    assertThat(e.getMessage()).startsWith("test.yaml: line 3").contains("aliases (*t) are not supported");
    assertThat(failure("provider: &p {type: mock}\ndefaults: {provider: *p}\n").reason()).contains("aliases");
  }

  @Test
  void duplicateKeysAreRefused() {
    ConfigException e = failure("server:\n  port: 1\n  port: 2\n");
    assertThat(e.getMessage()).startsWith("test.yaml: line 3").contains("port");
  }

  @Test
  void aSecondDocumentIsRefusedRatherThanIgnored() {
    assertThat(failure("server: {port: 1}\n---\nserver: {port: 2}\n").reason()).contains("a second YAML document");
  }

  @Test
  void loadsAFileAndNamesItInErrors(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("gw.yaml");
    Files.writeString(file, "server: {port: 9000}\n");
    assertThat(ConfigLoader.load(file).server().port()).isEqualTo(9000);

    Files.writeString(file, "server: {port: x}\n");
    assertThatThrownBy(() -> ConfigLoader.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ": server.port: ");
  }

  @Test
  void aMissingOrUnreadableFileIsAConfigError(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("absent.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("absent.yaml: file not found");
    Path latin1 = dir.resolve("latin1.yaml");
    Files.write(latin1, "server: {host: \"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> ConfigLoader.load(latin1)).isInstanceOf(ConfigException.class).hasMessageContaining("UTF-8");
    assertThatThrownBy(() -> ConfigLoader.load(dir)).isInstanceOf(ConfigException.class);
  }

  @Test
  void theProviderSettingsCannotBeChangedThroughTheConfig() {
    GatewayConfig config = parse("provider: {type: mock, nested: {a: 1}}");
    config.provider().settings().getJsonObject("nested").put("a", 2);
    assertThat(config.provider().settings().getJsonObject("nested").getInteger("a")).isEqualTo(1);
  }

  @Test
  void garbledDocumentsOnlyEverFailWithAConfigException() {
    String valid = """
        server: {host: 127.0.0.1, port: 8080, prefix: smart_proxy, maxBodySize: 1g, idleTimeout: 5m}
        provider: {type: mock, embedded: true, bootMinMs: 1000}
        access: {groups: url}
        limits: {maxWaitingTotal: 10}
        defaults:
          readiness: {path: /, status: "200-499", interval: 25ms}
          allowedGroups: [g1, g2]
          browser: hold
        resources:
          demo: {idleTimeout: 2m, allowedGroups: [g1]}
        """;
    String noise = ":{}[],-#&*!|>'\"%@`\t\n ?0123456789.~";
    java.util.Random random = new java.util.Random(20240607L);
    for (int i = 0; i < 3000; i++) {
      StringBuilder yaml = new StringBuilder(valid);
      for (int edits = 1 + random.nextInt(4); edits > 0; edits--) {
        int at = random.nextInt(yaml.length());
        switch (random.nextInt(3)) {
          case 0 -> yaml.insert(at, noise.charAt(random.nextInt(noise.length())));
          case 1 -> yaml.deleteCharAt(at);
          default -> yaml.setCharAt(at, noise.charAt(random.nextInt(noise.length())));
        }
      }
      try {
        parse(yaml.toString());
      } catch (ConfigException expected) {
        assertThat(expected.getMessage()).startsWith("test.yaml: ");
      } catch (RuntimeException unexpected) {
        throw new AssertionError("not a ConfigException for:\n" + yaml, unexpected);
      }
    }
  }

  @Test
  void allowedGroupsAreASet() {
    assertThat(parse("defaults: {allowedGroups: [a, b, a]}").defaults().allowedGroups()).isEqualTo(Set.of("a", "b"));
  }

  // --- every problem at once ---

  @Test
  void everyProblemOfADocumentIsReportedAtOnceEachWithItsKey() {
    ConfigException e = failure("""
        server: {port: eighty, prefix: 'a/b', prot: 1, trustedProxies: [10.0.0.0/8, nowhere]}
        defaults: {idleTimeout: 10 minutes, allowedGroups: [ok, 'a b'], browser: popup}
        resources:
          '-bad': {}
          demo: {readiness: {status: "600", paht: /}}
        provider: {url: http://127.0.0.1:9090}
        limits: {maxWaitingTotal: 0}
        cloud: {breaker: {window: 0}}
        access: {groups: oidc}
        """);
    assertThat(e.problems()).extracting(ConfigException::key).containsExactlyInAnyOrder(
        "server.prot", "server.port", "server.prefix", "server.trustedProxies[1]",
        "defaults.idleTimeout", "defaults.allowedGroups[1]", "defaults.browser",
        "resources.-bad", "resources.demo.readiness.paht", "resources.demo.readiness.status",
        "provider.type", "limits.maxWaitingTotal", "cloud.breaker.window", "access.groups");
    assertThat(e.problems()).allSatisfy(p -> assertThat(p.source()).isEqualTo("test.yaml"));
    assertThat(e.getMessage().lines()).hasSize(14).allSatisfy(line -> assertThat(line).startsWith("test.yaml: "));
    assertThat(e.getMessage()).contains("test.yaml: server.port: expected a whole number, got text \"eighty\"");
  }

  @Test
  void aSectionThatIsNotAMapIsOneProblemAndTheOthersAreStillRead() {
    ConfigException e = failure("server: [80]\nprovider: [mock]\nlimits: {maxWaitingTotal: -1}\n");
    assertThat(e.problems()).extracting(ConfigException::key).containsExactly("server", "provider", "limits.maxWaitingTotal");
  }

  @Test
  void oneProblemIsItselfAndSeveralAreOneExceptionListingThem() {
    ConfigException a = new ConfigException("f", "a", "bad");
    ConfigException b = new ConfigException("f", "b", "worse");
    assertThat(ConfigException.of(List.of(a))).isSameAs(a);
    ConfigException both = ConfigException.of(List.of(a, b));
    assertThat(both.problems()).containsExactly(a, b);
    assertThat(both).hasMessage("f: a: bad\nf: b: worse");
    assertThat(both.key()).isEqualTo("a");
    assertThat(both.in("g").problems()).extracting(ConfigException::getMessage).containsExactly("g: a: bad", "g: b: worse");
  }
}
