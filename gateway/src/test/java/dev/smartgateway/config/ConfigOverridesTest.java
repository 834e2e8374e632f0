package dev.smartgateway.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --set} and {@code SMART_GATEWAY_*} laid over the file: parsing, the variable names, precedence, problems. */
class ConfigOverridesTest {

  private static GatewayConfig load(String yaml, List<String> sets, Map<String, String> env) {
    return ConfigLoader.parse(yaml, "gw.yaml", ConfigOverrides.of(sets, env)).config();
  }

  private static ConfigException failure(String yaml, List<String> sets, Map<String, String> env) {
    try {
      load(yaml, sets, env);
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigException");
  }

  /** "source: key" of every problem. */
  private static List<String> where(ConfigException e) {
    return e.problems().stream().map(p -> p.source() + ": " + p.key()).toList();
  }

  // --- --set ---

  @Test
  void setOverridesAKeyOfTheFile() {
    assertThat(load("server: {port: 8080}", List.of("server.port=9000"), Map.of()).server().port()).isEqualTo(9000);
    assertThat(load("", List.of("server.host=127.0.0.1"), Map.of()).server().host()).isEqualTo("127.0.0.1");
  }

  @Test
  void valuesAreYamlScalarsAndFlowCollections() {
    GatewayConfig config = load("", List.of("defaults.allowedGroups=[a,b]", "defaults.idleTimeout=90s",
        "server.trustedProxies=[10.0.0.0/8, \"::1\"]", "defaults.readiness={path: /health, status: 204}"), Map.of());
    assertThat(config.defaults().allowedGroups()).containsExactlyInAnyOrder("a", "b");
    assertThat(config.defaults().idleTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.server().trustsProxy("10.1.2.3")).isTrue();
    assertThat(config.server().trustsProxy("::1")).isTrue();
    assertThat(config.defaults().readiness().path()).isEqualTo("/health");
    assertThat(config.defaults().readiness().statusMax()).isEqualTo(204);
  }

  @Test
  void aMapReplacesTheKeysWholeMapAndAnEmptyValueMeansTheDefault() {
    GatewayConfig config = load("""
        server: {port: 9000}
        defaults: {readiness: {path: /old, status: 200}}
        """, List.of("defaults.readiness={path: /new}", "server.port="), Map.of());
    assertThat(config.defaults().readiness()).isEqualTo(new ProbeConfig("/new", 200, 499, Duration.ofMillis(25), Duration.ofSeconds(2)));
    assertThat(config.server().port()).isEqualTo(8080);
  }

  @Test
  void setCreatesWhatTheFileDoesNotHave() {
    GatewayConfig config = load("", List.of("resources.api.maxWaiting=5", "provider.type=mock", "provider.url=http://127.0.0.1:9090"), Map.of());
    assertThat(config.settingsFor("api").maxWaiting()).isEqualTo(5);
    assertThat(config.provider().settings().getString("url")).isEqualTo("http://127.0.0.1:9090");
  }

  @Test
  void aResourceIdWithDotsIsOneKeyWhenTheFileHasIt() {
    GatewayConfig config = load("resources: {wiki.internal: {}}", List.of("resources.wiki.internal.idleTimeout=5m"), Map.of());
    assertThat(config.resources()).containsOnlyKeys("wiki.internal");
    assertThat(config.settingsFor("wiki.internal").idleTimeout()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void malformedSetsAreProblemsOfTheirOwn() {
    ConfigException e = failure("", List.of("server.port", "=5", "server..port=1", "server.port=[1"), Map.of());
    assertThat(e.problems()).hasSize(4).allSatisfy(p -> assertThat(p.source()).isEqualTo("--set"));
    assertThat(e.problems().get(0).reason()).startsWith("expected KEY=VALUE");
    assertThat(e.problems().get(3).key()).isEqualTo("server.port");
    assertThat(e.problems().get(3).reason()).startsWith("not a YAML value");
  }

  @Test
  void aKeyUnderAValueThatIsNotAMapCannotBeSet() {
    ConfigException e = failure("server: {port: 1}", List.of("server.port.number=2"), Map.of());
    assertThat(e).hasMessage("--set: server.port.number: cannot be set: server.port is the number 1 in the configuration, not a map");
  }

  // --- the environment ---

  @Test
  void variableNamesAreTheKeyPathInUpperCaseWithWordsSplit() {
    assertThat(ConfigOverrides.envName("server.port")).isEqualTo("SMART_GATEWAY_SERVER_PORT");
    assertThat(ConfigOverrides.envName("defaults.idleTimeout")).isEqualTo("SMART_GATEWAY_DEFAULTS_IDLE_TIMEOUT");
    assertThat(ConfigOverrides.envName("cloud.breaker.halfOpenCalls")).isEqualTo("SMART_GATEWAY_CLOUD_BREAKER_HALF_OPEN_CALLS");
    assertThat(ConfigOverrides.envName("limits.connectionsPerVm")).isEqualTo("SMART_GATEWAY_LIMITS_CONNECTIONS_PER_VM");
    assertThat(ConfigOverrides.envName("resources.my-app.maxWaiting")).isEqualTo("SMART_GATEWAY_RESOURCES_MY_APP_MAX_WAITING");
    assertThat(ConfigOverrides.envName("provider.bootMinMs")).isEqualTo("SMART_GATEWAY_PROVIDER_BOOT_MIN_MS");
  }

  @Test
  void everyKeyTheGatewayKnowsHasAVariableOfItsOwn() {
    Set<String> paths = ConfigLoader.keyPaths(null, Set.of());
    assertThat(paths).contains("server.port", "server.trustedProxies", "defaults.idleTimeout", "defaults.readiness.path",
        "defaults.liveness.ping", "limits.maxWaitingTotal", "cloud.breaker.openFor", "access.groups", "provider.type");
    Map<String, String> byName = new HashMap<>();
    for (String path : paths) {
      String name = ConfigOverrides.envName(path);
      assertThat(byName.put(name, path)).as("%s and another key share %s", path, name).isNull();
      assertThat(ConfigOverrides.NOT_KEYS).doesNotContain(name);
    }
  }

  @Test
  void variablesSetKeysTheGatewayKnows() {
    GatewayConfig config = load("", List.of(), Map.of(
        "SMART_GATEWAY_SERVER_PORT", "9000",
        "SMART_GATEWAY_DEFAULTS_IDLE_TIMEOUT", "30m",
        "SMART_GATEWAY_DEFAULTS_READINESS_PATH", "/health",
        "SMART_GATEWAY_LIMITS_MAX_WAITING_TOTAL", "5",
        "SMART_GATEWAY_CLOUD_BREAKER_OPEN_FOR", "3s",
        "SMART_GATEWAY_DEFAULTS_ALLOWED_GROUPS", "[ops, dev]"));
    assertThat(config.server().port()).isEqualTo(9000);
    assertThat(config.defaults().idleTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.defaults().readiness().path()).isEqualTo("/health");
    assertThat(config.limits().maxWaitingTotal()).isEqualTo(5);
    assertThat(config.cloud().breakerOpenFor()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.defaults().allowedGroups()).containsExactlyInAnyOrder("ops", "dev");
  }

  @Test
  void variablesReachTheResourcesAndProviderKeysTheFileHas() {
    GatewayConfig config = load("""
        provider: {type: mock, embedded: true, bootMinMs: 1000}
        resources: {demo: {idleTimeout: 10m}}
        """, List.of(), Map.of(
        "SMART_GATEWAY_PROVIDER_BOOT_MIN_MS", "0",
        "SMART_GATEWAY_RESOURCES_DEMO_IDLE_TIMEOUT", "1m",
        "SMART_GATEWAY_RESOURCES_DEMO_MAX_WAITING", "3"));
    assertThat(config.provider().settings().getInteger("bootMinMs")).isZero();
    assertThat(config.settingsFor("demo").idleTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.settingsFor("demo").maxWaiting()).as("any resource key, written or not").isEqualTo(3);
  }

  @Test
  void aVariableThatNamesNoKeyIsAProblemWithAHint() {
    ConfigException e = failure("", List.of(), Map.of("SMART_GATEWAY_DEFAULTS_IDLETIMEOUT", "5m",
        "SMART_GATEWAY_SERVER_PROT", "80", "SMART_GATEWAY_RESOURCES_API_MAX_WAITING", "5"));
    assertThat(where(e)).containsExactly("env SMART_GATEWAY_DEFAULTS_IDLETIMEOUT: ", "env SMART_GATEWAY_RESOURCES_API_MAX_WAITING: ",
        "env SMART_GATEWAY_SERVER_PROT: ");
    assertThat(e.problems().get(0).reason()).isEqualTo("names no configuration key; did you mean SMART_GATEWAY_DEFAULTS_IDLE_TIMEOUT?");
    assertThat(e.problems().get(1).reason()).contains("set with --set");
  }

  @Test
  void aVariableNamingTwoKeysIsAmbiguous() {
    ConfigException e = failure("resources: {my.app: {}, my_app: {}}", List.of(),
        Map.of("SMART_GATEWAY_RESOURCES_MY_APP_IDLE_TIMEOUT", "5m"));
    assertThat(e.reason()).contains("names several keys", "resources.my.app.idleTimeout", "resources.my_app.idleTimeout");
  }

  @Test
  void theLogLevelsEmptyVariablesAndOtherVariablesAreNotKeys() {
    GatewayConfig config = load("", List.of(), Map.of("SMART_GATEWAY_LOG", "DEBUG", "SMART_GATEWAY_ACCESS_LOG", "OFF",
        "SMART_GATEWAY_GROUPS", "g1", "SMART_GATEWAY_RESOURCE", "app", "SMART_GATEWAY_INSTANCE", "sg-app-0000abcd",
        "SMART_GATEWAY_SERVER_PORT", "", "PATH", "/usr/bin", "SMART_GATEWAYS", "x"));
    assertThat(config).isEqualTo(GatewayConfig.allDefaults());
    assertThat(ConfigOverrides.of(List.of(), Map.of("SMART_GATEWAY_LOG", "DEBUG")).isEmpty()).isTrue();
  }

  // --- precedence ---

  @Test
  void theFileLosesToTheEnvironmentWhichLosesToSet() {
    String file = "server: {port: 1000}";
    Map<String, String> env = Map.of("SMART_GATEWAY_SERVER_PORT", "2000");
    assertThat(load(file, List.of(), Map.of()).server().port()).isEqualTo(1000);
    assertThat(load(file, List.of(), env).server().port()).isEqualTo(2000);
    assertThat(load(file, List.of("server.port=3000"), env).server().port()).isEqualTo(3000);
    assertThat(load(file, List.of("server.port=3000", "server.port=4000"), env).server().port())
        .as("the later --set").isEqualTo(4000);
    assertThat(load(file, List.of("server={host: 127.0.0.1}"), env).server().port())
        .as("a map set by --set replaces the environment's key in it too").isEqualTo(8080);
  }

  // --- problems: the same validation, attributed ---

  @Test
  void overriddenKeysAreValidatedLikeTheFileAndNameWhereTheyWereSet() {
    ConfigException e = failure("""
        server: {port: 8080}
        defaults: {maxWaiting: 0}
        """, List.of("server.prefix=a/b", "server.prot=1", "resources.-x.idleTimeout=5m"),
        Map.of("SMART_GATEWAY_SERVER_PORT", "eighty", "SMART_GATEWAY_DEFAULTS_IDLE_TIMEOUT", "10 minutes"));

    assertThat(where(e)).containsExactlyInAnyOrder(
        "--set: server.prot",
        "env SMART_GATEWAY_SERVER_PORT: server.port",
        "--set: server.prefix",
        "env SMART_GATEWAY_DEFAULTS_IDLE_TIMEOUT: defaults.idleTimeout",
        "gw.yaml: defaults.maxWaiting",
        "--set: resources.-x");
    assertThat(e.getMessage().lines()).hasSize(6)
        .contains("env SMART_GATEWAY_SERVER_PORT: server.port: expected a whole number, got text \"eighty\"");
  }

  @Test
  void aKeyTheFileHadAndAnOverrideChangedIsTheOverrides() {
    ConfigException e = failure("server: {port: 8080}", List.of("server.port=-1"), Map.of());
    assertThat(e).hasMessage("--set: server.port: -1 is out of range (0..65535)");
  }

  @Test
  void originsAttributeLaterProblemsToo() {
    ConfigLoader.Loaded loaded = ConfigLoader.parse("provider: {type: mock}\nresources: {demo: {}}", "gw.yaml",
        ConfigOverrides.of(List.of("resources.demo.provider={type: nimbus}"), Map.of("SMART_GATEWAY_PROVIDER_TYPE", "static")));
    ConfigOrigins origins = loaded.origins();
    assertThat(origins.sourceOf("provider.type")).isEqualTo("env SMART_GATEWAY_PROVIDER_TYPE");
    assertThat(origins.sourceOf("resources.demo.provider.type")).isEqualTo("--set");
    assertThat(origins.sourceOf("resources.demo")).as("the file has it").isEqualTo("gw.yaml");
    assertThat(origins.sourceOf("server.port")).isEqualTo("gw.yaml");
    assertThat(origins.attribute(new ConfigException("provider.type", "unknown")))
        .hasMessage("env SMART_GATEWAY_PROVIDER_TYPE: provider.type: unknown");
  }

  @Test
  void describeNamesTheSourcesWithoutTheirValues() {
    ConfigOverrides overrides = ConfigOverrides.of(List.of("server.port=9000", "broken"),
        Map.of("SMART_GATEWAY_SERVER_HOST", "10.0.0.1", "SMART_GATEWAY_LOG", "DEBUG"));
    assertThat(overrides.describe()).containsExactly("SMART_GATEWAY_SERVER_HOST", "--set server.port", "--set broken");
  }

  @Test
  void metricsCanBeSwitchedOffFromTheEnvironmentOrTheCommandLine() {
    assertThat(load("", List.of(), Map.of()).metrics()).isEqualTo(MetricsConfig.defaults());
    assertThat(load("", List.of(), Map.of("SMART_GATEWAY_METRICS_ENABLED", "false")).metrics().enabled()).isFalse();
    assertThat(load("", List.of("metrics.vertx=false"), Map.of()).metrics())
        .isEqualTo(new MetricsConfig(true, false, 100));
    assertThat(load("metrics: {maxResources: 5}", List.of(), Map.of("SMART_GATEWAY_METRICS_MAX_RESOURCES", "7"))
        .metrics().maxResources()).isEqualTo(7);
    assertThat(where(failure("metrics: {maxResources: -1, histograms: true}", List.of(), Map.of())))
        .containsExactlyInAnyOrder("gw.yaml: metrics.maxResources", "gw.yaml: metrics.histograms");
  }
}
