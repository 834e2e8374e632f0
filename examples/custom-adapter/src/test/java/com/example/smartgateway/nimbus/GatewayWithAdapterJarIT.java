package com.example.smartgateway.nimbus;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The adapter as its users run it: the packaged {@code example-cloud-adapter.jar} next to the gateway's fat
 * jar on a child JVM's classpath, {@code provider.type: example-cloud} in its configuration. The cloud is a
 * {@link FakeNimbus} whose machines come up as a real HTTP backend in this JVM, so a request through the
 * gateway crosses every part: ServiceLoader discovery in the gateway, create, describe polling, the
 * readiness probe, and forwarding.
 *
 * <p>Run by failsafe after {@code package}: {@code adapter.jar} and {@code smartgateway.jar} are set in the pom.
 */
@ExtendWith(VertxExtension.class)
class GatewayWithAdapterJarIT {

  private static final Pattern LISTENING = Pattern.compile("gateway listening on http://[^/]+:(\\d+)/");
  private static final String IMAGE = "nimbus/hello-app:1";
  private static final String BACKEND_ANSWER = "hello from the Nimbus machine";
  /** A cold JVM on a small CI machine; generous, because the wait ends as soon as the line appears. */
  private static final Duration GATEWAY_START_DEADLINE = Duration.ofSeconds(60);
  /** Above the config's startTimeout (20s), so a stuck start shows up as the gateway's own 504 and its log. */
  private static final Duration REQUEST_DEADLINE = Duration.ofSeconds(40);

  /** What the backend saw of one request. */
  private record Seen(String path, String groupsHeader, String userAgent) {
  }

  @TempDir
  Path dir;

  private FakeNimbus nimbus;
  private final List<Seen> backendSaw = new CopyOnWriteArrayList<>();
  private final List<String> gatewayOutput = Collections.synchronizedList(new ArrayList<>());
  private Process gateway;

  @BeforeEach
  void startTheCloudAndTheMachinesBackend(Vertx vertx) throws Exception {
    HttpServer backend = vertx.createHttpServer().requestHandler(request -> {
      backendSaw.add(new Seen(request.path(), request.getHeader("X-Smart-Gateway-Groups"), request.getHeader("User-Agent")));
      request.response().putHeader("Content-Type", "text/plain").end(BACKEND_ANSWER);
    });
    backend.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    // A short provisioning phase, so the gateway has to poll describe as it does against the real API.
    nimbus = new FakeNimbus(Set.of(IMAGE))
        .activateAfter(Duration.ofMillis(300), "127.0.0.1", backend.actualPort())
        .start(vertx);
  }

  /**
   * Runs before VertxExtension closes the fake cloud and the backend, so the gateway shuts down against a
   * live cloud. SIGTERM first: the gateway's shutdown hook is part of what users get.
   */
  @AfterEach
  void stopTheGateway() throws InterruptedException {
    if (gateway == null) {
      return;
    }
    gateway.destroy();
    if (!gateway.waitFor(20, TimeUnit.SECONDS)) {
      gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theGatewayLoadsTheAdapterJarFromItsClasspathAndServesThroughIt() throws Exception {
    int port = startGateway(writeConfig());

    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/smart_proxy/app/g1/hello"))
            .timeout(REQUEST_DEADLINE)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(this::describeFailure).isEqualTo(200);
    assertThat(response.body()).isEqualTo(BACKEND_ANSWER);
    // The readiness probes hit "/" as well; the forwarded request is the one for /hello.
    assertThat(backendSaw).filteredOn(seen -> seen.path().equals("/hello")).as(this::describeFailure)
        .singleElement()
        .satisfies(seen -> assertThat(seen.groupsHeader()).isEqualTo("g1"));
    assertThat(nimbus.createBodies()).as(this::describeFailure).singleElement()
        .satisfies(body -> {
          assertThat(body.getString("image")).isEqualTo(IMAGE);
          assertThat(body.getJsonObject("labels")).isEqualTo(new JsonObject()
              .put("smart-gateway", "true")
              .put("smart-gateway-resource", "app")
              .put("smart-gateway-groups", "g1")
              .put("smart-gateway-owner", "adapter-it"));
        });
  }

  private Path writeConfig() throws IOException {
    // Port 0: the gateway picks a free port and prints it in its listening line.
    String yaml = """
        gateway:
          id: adapter-it
        server:
          host: 127.0.0.1
          port: 0
          shutdownGrace: 1s
        provider:
          type: example-cloud
          apiUrl: %s
          token: %s
          requestTimeout: 5s
          images:
            app: %s
        defaults:
          startTimeout: 20s
          idleTimeout: 30s
        """.formatted(nimbus.url(), FakeNimbus.TOKEN, IMAGE);
    return Files.writeString(dir.resolve("gateway.yaml"), yaml);
  }

  /** Starts {@code java -cp gateway.jar:adapter.jar GatewayMain --config file}; returns its port once listening. */
  private int startGateway(Path config) throws Exception {
    Path gatewayJar = requiredJar("smartgateway.jar",
        "build the gateway's fat jar first (./mvnw -pl gateway -am install -DskipTests; build.sh does it)"
            + " or pass -Dsmartgateway.jar=/path/to/smart-gateway.jar");
    Path adapterJar = requiredJar("adapter.jar", "run this test with 'verify': it needs the packaged adapter");
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", gatewayJar + File.pathSeparator + adapterJar,
        "dev.smartgateway.GatewayMain",
        "--config", config.toString());
    gateway = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();

    CompletableFuture<Integer> listening = new CompletableFuture<>();
    // Reads until the process ends, not just to the listening line: a full pipe would block the gateway.
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          gatewayOutput.add(line);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            listening.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException ignored) {
        // The stream closes when the process ends; the completion below reports it.
      }
      listening.completeExceptionally(new IllegalStateException("the gateway exited before listening"));
    }, "gateway-output");
    reader.setDaemon(true);
    reader.start();

    try {
      return listening.get(GATEWAY_START_DEADLINE.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the gateway did not print its listening line within " + GATEWAY_START_DEADLINE
          + "\n" + describeFailure());
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause().getMessage() + "\n" + describeFailure());
    }
  }

  private static Path requiredJar(String property, String hint) {
    String value = System.getProperty(property);
    if (value == null || !Files.isRegularFile(Path.of(value))) {
      throw new IllegalStateException("system property " + property + " must name an existing jar, got '" + value
          + "': " + hint);
    }
    return Path.of(value).toAbsolutePath();
  }

  private String describeFailure() {
    String output;
    synchronized (gatewayOutput) {
      output = String.join("\n", gatewayOutput);
    }
    return "gateway output:\n" + output + "\nNimbus requests: " + nimbus.requests() + "\nbackend saw: " + backendSaw;
  }
}
