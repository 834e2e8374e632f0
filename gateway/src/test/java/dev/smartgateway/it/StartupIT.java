package dev.smartgateway.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fat jar started as a user starts it, from a directory other than the checkout (a temporary working
 * directory): the command line, finding the configuration without {@code --config}, overrides from
 * {@code --set} and the environment, and how refused starts end (exit status 2, one line per problem, no
 * stack trace). Every wait is on a condition with a deadline; every child process is ended in a finally.
 */
class StartupIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final Path CHECKOUT_CONFIG = Path.of("..", "config", "gateway.yaml").toAbsolutePath().normalize();

  @TempDir
  Path elsewhere;

  @Test
  void helpListsEveryOptionAndTheEnvironmentAndExitsZero() throws Exception {
    GatewayProcess.Exited help = GatewayProcess.run(GatewayProcess.jar(), List.of("--help"), Map.of(), elsewhere, DEADLINE);

    assertThat(help.status()).isZero();
    assertThat(help.output()).contains("--config=FILE", "--set=KEY=VALUE", "--help", "--version",
        "SMART_GATEWAY_<KEY_PATH>", "SMART_GATEWAY_SERVER_PORT", "SMART_GATEWAY_DEFAULTS_IDLE_TIMEOUT",
        "SMART_GATEWAY_LOG", "SMART_GATEWAY_ACCESS_LOG", "Exit status");
    assertThat(help.output()).doesNotContain("gateway listening");
  }

  @Test
  void versionNamesTheJarsVersion() throws Exception {
    GatewayProcess.Exited version = GatewayProcess.run(GatewayProcess.jar(), List.of("--version"), Map.of(), elsewhere, DEADLINE);

    assertThat(version.status()).isZero();
    assertThat(version.output()).containsPattern("smart-gateway \\d+\\.\\d+\\.\\d+").contains("Vert.x ", "Java ");
  }

  @Test
  void withoutConfigFromAnotherDirectoryTheCheckoutsDemoIsServed() throws Exception {
    try (GatewayProcess gateway = GatewayProcess.start(GatewayProcess.jar(), List.of(),
        List.of("--set", "server.port=0"), Map.of(), elsewhere)) {
      assertThat(gateway.output()).contains("configuration: " + CHECKOUT_CONFIG)
          .contains("gateway listening on http://127.0.0.1:")
          .as("the demo binds loopback: no warning about groups in the URL").doesNotContain("anyone who can reach");
      assertDemoAnswers(gateway.port());
    }
  }

  @Test
  void sigtermStopsTheGatewayGracefullyWithinSeconds() throws Exception {
    try (GatewayProcess gateway = GatewayProcess.start(GatewayProcess.jar(), List.of(),
        List.of("--set", "server.port=0", "--set", "admin.port=0"), Map.of(), elsewhere)) {
      assertDemoAnswers(gateway.port());
      assertThat(gateway.stop(java.time.Duration.ofSeconds(10)))
          .as("nothing in flight: the gateway, its store and Vert.x close at once; output:%n%s", gateway.output())
          .isTrue();
      assertThat(gateway.output()).contains("shutting down").doesNotContain("RejectedExecutionException");
    }
  }

  @Test
  void aJarWithoutACheckoutRunsTheBuiltInDemo() throws Exception {
    Path lib = Files.createDirectories(elsewhere.resolve("opt").resolve("lib"));
    Path copy = Files.copy(GatewayProcess.jar(), lib.resolve("smart-gateway.jar"));
    Path cwd = Files.createDirectories(elsewhere.resolve("somewhere-else"));
    try (GatewayProcess gateway = GatewayProcess.start(copy, List.of(), List.of(), Map.of("SMART_GATEWAY_SERVER_PORT", "0"), cwd)) {
      assertThat(gateway.output()).contains("configuration: built-in").contains("gateway listening on http://127.0.0.1:");
      assertDemoAnswers(gateway.port());
    }
  }

  @Test
  void setServerPortTakesEffect() throws Exception {
    int port = freePort();
    try (GatewayProcess gateway = GatewayProcess.start(GatewayProcess.jar(), List.of(),
        List.of("--set", "server.port=" + port), Map.of(), elsewhere)) {
      assertThat(gateway.port()).isEqualTo(port);
      assertAccepts(port);
      assertThat(gateway.output()).contains("overridden by --set server.port");
    }
  }

  @Test
  void theServerPortVariableTakesEffectAndSetWinsOverIt() throws Exception {
    int port = freePort();
    try (GatewayProcess gateway = GatewayProcess.start(GatewayProcess.jar(), List.of(), List.of(),
        Map.of("SMART_GATEWAY_SERVER_PORT", Integer.toString(port)), elsewhere)) {
      assertThat(gateway.port()).isEqualTo(port);
      assertAccepts(port);
    }
    try (GatewayProcess gateway = GatewayProcess.start(GatewayProcess.jar(), List.of(), List.of("--set", "server.port=0"),
        Map.of("SMART_GATEWAY_SERVER_PORT", Integer.toString(port)), elsewhere)) {
      assertThat(gateway.port()).as("--set wins over the environment").isNotEqualTo(port);
    }
  }

  @Test
  void aListenerBeyondLoopbackWarnsThatGroupsInTheUrlAreTrusted() throws Exception {
    try (GatewayProcess gateway = GatewayProcess.start(GatewayProcess.jar(), List.of(),
        List.of("--set", "server.host=0.0.0.0", "--set", "server.port=0"), Map.of(), elsewhere)) {
      assertThat(gateway.output()).containsPattern("WARN .*access.groups is url and the listener binds 0\\.0\\.0\\.0")
          .contains("anyone who can reach");
    }
  }

  @Test
  void aFileWithThreeProblemsNamesAllThreeAndExitsTwo() throws Exception {
    Path config = elsewhere.resolve("broken.yaml");
    Files.writeString(config, """
        server: {host: 127.0.0.1, port: eighty}
        defaults: {idleTimeout: 10 minutes}
        limits: {maxWaitingTotl: 5}
        """);

    GatewayProcess.Exited run = GatewayProcess.run(GatewayProcess.jar(), List.of("--config", config.toString()),
        Map.of(), elsewhere, DEADLINE);

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.output().lines().filter(l -> l.startsWith("smart-gateway: invalid configuration: " + config + ": ")))
        .hasSize(3);
    assertThat(run.output()).contains("server.port: ", "defaults.idleTimeout: ", "limits.maxWaitingTotl: ");
    assertNoStackTrace(run.output());
  }

  @Test
  void anOverrideProblemNamesTheKeyAndWhereItWasSet() throws Exception {
    GatewayProcess.Exited run = GatewayProcess.run(GatewayProcess.jar(), List.of("--set", "defaults.maxWaiting=lots"),
        Map.of("SMART_GATEWAY_SERVER_PORT", "eighty"), elsewhere, DEADLINE);

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.output()).contains("smart-gateway: invalid configuration: env SMART_GATEWAY_SERVER_PORT: server.port: ")
        .contains("smart-gateway: invalid configuration: --set: defaults.maxWaiting: ");
    assertNoStackTrace(run.output());
  }

  @Test
  void aPortInUseNamesTheAddressAndExitsTwo() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      GatewayProcess.Exited run = GatewayProcess.run(GatewayProcess.jar(),
          List.of("--set", "server.port=" + taken.getLocalPort()), Map.of(), elsewhere, DEADLINE);

      assertThat(run.status()).isEqualTo(2);
      assertThat(run.output()).contains("127.0.0.1:" + taken.getLocalPort() + " is already in use");
      assertNoStackTrace(run.output());
    }
  }

  @Test
  void anUnknownProviderTypeIsAConfigurationProblem() throws Exception {
    GatewayProcess.Exited run = GatewayProcess.run(GatewayProcess.jar(),
        List.of("--set", "server.port=0", "--set", "provider={type: nimbus}"), Map.of(), elsewhere, DEADLINE);

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.output()).contains("smart-gateway: invalid configuration: --set: provider.type: unknown provider type 'nimbus'");
    assertNoStackTrace(run.output());
  }

  private static void assertDemoAnswers(int port) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/smart_proxy/demo/g1/hello?x=1")).timeout(DEADLINE).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"resource\":\"demo\"", "\"path\":\"/hello\"", "\"query\":\"x=1\"", "\"vm\":");
  }

  private static void assertAccepts(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      assertThat(socket.isConnected()).isTrue();
    }
  }

  private static void assertNoStackTrace(String output) {
    assertThat(output).doesNotContainPattern("(?m)^\\s+at [\\w$.]+\\(").doesNotContain("Exception");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
