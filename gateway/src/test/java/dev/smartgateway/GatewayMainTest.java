package dev.smartgateway;

import dev.smartgateway.config.ConfigException;
import dev.smartgateway.config.ConfigLoader;
import dev.smartgateway.config.ConfigOrigins;
import dev.smartgateway.config.ConfigOverrides;
import dev.smartgateway.config.GatewayConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line without starting a gateway: options, help, refused configurations, finding the file. */
class GatewayMainTest {

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    return GatewayMain.run(args, env, GatewayMain.codeLocation(), new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void helpListsEveryOptionAndTheEnvironment() {
    assertThat(run(Map.of(), "--help")).isZero();
    assertThat(out.toString()).contains("-c, --config=FILE", "-s, --set=KEY=VALUE", "-h, --help", "-V, --version",
        "SMART_GATEWAY_<KEY_PATH>", "SMART_GATEWAY_SERVER_PORT=9000 (server.port)",
        "SMART_GATEWAY_DEFAULTS_IDLE_TIMEOUT=30m (defaults.idleTimeout)", "SMART_GATEWAY_LOG", "SMART_GATEWAY_ACCESS_LOG",
        "Exit status");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void versionAndShortHelpExitZero() {
    assertThat(run(Map.of(), "--version")).isZero();
    assertThat(out.toString()).startsWith("smart-gateway ").contains("Vert.x 5.", "Java ");
    assertThat(run(Map.of(), "-h")).isZero();
  }

  @Test
  void aBadArgumentIsOneLineAndExitTwo() {
    assertThat(run(Map.of(), "--bogus")).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly("smart-gateway: Unknown option: '--bogus' (see --help)");
    assertThat(run(Map.of(), "--config")).isEqualTo(2);
  }

  @Test
  void everyConfigurationProblemIsOneLineAndExitTwo() throws Exception {
    Path file = dir.resolve("gw.yaml");
    Files.writeString(file, "server: {port: eighty}\ndefaults: {idleTimeout: soon}\nlimits: {maxWaitingTotl: 5}\n");

    assertThat(run(Map.of("SMART_GATEWAY_SERVER_HOST", "''"), "--config", file.toString(), "--set", "defaults.maxWaiting=-5"))
        .isEqualTo(2);

    assertThat(err.toString().lines()).hasSize(5).allSatisfy(line -> assertThat(line).startsWith("smart-gateway: invalid configuration: "));
    assertThat(err.toString()).contains(file + ": server.port: ", file + ": defaults.idleTimeout: ", file + ": limits.maxWaitingTotl: ",
        "env SMART_GATEWAY_SERVER_HOST: server.host: must not be empty", "--set: defaults.maxWaiting: -5 is out of range");
  }

  @Test
  void aMissingConfigFileIsAConfigurationProblem() {
    assertThat(run(Map.of(), "--config", dir.resolve("absent.yaml").toString())).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("smart-gateway: invalid configuration: " + dir.resolve("absent.yaml") + ": file not found\n");
  }

  // --- finding the configuration without --config ---

  @Test
  void theCheckoutsFileIsFoundFromTheJarOrClassesLocation() throws Exception {
    Path checkout = dir.resolve("checkout");
    Path target = Files.createDirectories(checkout.resolve("gateway").resolve("target"));
    Path jar = Files.createFile(target.resolve("smart-gateway.jar"));
    Path classes = Files.createDirectories(target.resolve("classes"));
    assertThat(GatewayMain.checkoutConfig(jar)).as("no config/gateway.yaml yet").isNull();

    Path config = Files.createDirectories(checkout.resolve("config")).resolve("gateway.yaml");
    Files.writeString(config, "");
    assertThat(GatewayMain.checkoutConfig(jar)).isEqualTo(config);
    assertThat(GatewayMain.checkoutConfig(classes)).isEqualTo(config);

    Path elsewhere = Files.createDirectories(dir.resolve("opt").resolve("lib")).resolve("smart-gateway.jar");
    assertThat(GatewayMain.checkoutConfig(elsewhere)).as("not in a checkout: the built-in configuration").isNull();
    assertThat(GatewayMain.checkoutConfig(null)).isNull();
  }

  @Test
  void inThisBuildTheDefaultIsThisCheckoutsFile() {
    assertThat(GatewayMain.checkoutConfig(GatewayMain.codeLocation()))
        .isEqualTo(Path.of("..", "config", "gateway.yaml").toAbsolutePath().normalize());
  }

  @Test
  void theBuiltInConfigurationIsTheDemo() {
    GatewayConfig config = ConfigLoader.parse(GatewayMain.builtIn(), GatewayMain.BUILT_IN_SOURCE);
    assertThat(config.resources()).containsOnlyKeys("demo");
    assertThat(config.server().host()).isEqualTo("127.0.0.1");
    assertThat(config.provider().settings().getBoolean("embedded")).isTrue();
  }

  // --- refused starts ---

  @Test
  void aPortInUseNamesTheAddressWithoutAStackTrace() {
    GatewayConfig config = ConfigLoader.parse("server: {host: 127.0.0.1, port: 8080}", "gw.yaml");
    StringWriter text = new StringWriter();
    int status = GatewayMain.reportStartFailure(new PrintWriter(text, true), new BindException("Address already in use"),
        config, ConfigOrigins.of("gw.yaml"));
    assertThat(status).isEqualTo(2);
    assertThat(text.toString()).isEqualTo("smart-gateway: cannot listen: 127.0.0.1:8080 is already in use (server.host, server.port)\n");
    assertThat(GatewayMain.address("::1", 80)).isEqualTo("[::1]:80");
  }

  @Test
  void aProviderProblemIsAConfigurationProblemNamingWhereItWasSet() {
    ConfigLoader.Loaded loaded = ConfigLoader.parse("", "gw.yaml",
        ConfigOverrides.of(List.of("provider={type: nimbus}"), Map.of()));
    StringWriter text = new StringWriter();
    int status = GatewayMain.reportStartFailure(new PrintWriter(text, true),
        new ConfigException("provider.type", "unknown provider type 'nimbus'"), loaded.config(), loaded.origins());
    assertThat(status).isEqualTo(2);
    assertThat(text.toString()).isEqualTo("smart-gateway: invalid configuration: --set: provider.type: unknown provider type 'nimbus'\n");
  }

  @Test
  void anUnexpectedFailureKeepsItsStackTraceAndExitsOne() {
    StringWriter text = new StringWriter();
    int status = GatewayMain.reportStartFailure(new PrintWriter(text, true), new IllegalStateException("boom"),
        GatewayConfig.allDefaults(), ConfigOrigins.of("gw.yaml"));
    assertThat(status).isEqualTo(1);
    assertThat(text.toString()).startsWith("smart-gateway: could not start: java.lang.IllegalStateException: boom")
        .contains("\tat dev.smartgateway.GatewayMainTest");
  }
}
