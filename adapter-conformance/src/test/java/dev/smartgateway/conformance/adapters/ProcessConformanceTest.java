package dev.smartgateway.conformance.adapters;

import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.ProviderContext;
import dev.smartgateway.cloud.process.ProcessCloudProviderFactory;
import dev.smartgateway.conformance.CloudProviderContract;
import dev.smartgateway.conformance.Prerequisites;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code process} adapter: each instance is Python's {@code http.server} on a free loopback port. All providers
 * of a test share one {@code stateDir}, which is what makes them one cloud: there a provider finds the children its
 * owner left running. {@code onShutdown: leave}, because the SPI's {@code close} does not stop VMs (the adapter's
 * default, {@code stop}, is its own choice for a gateway whose children should die with it).
 */
class ProcessConformanceTest extends CloudProviderContract {

  @TempDir
  Path stateDir;
  @TempDir
  Path www;

  @BeforeAll
  static void python() {
    Prerequisites.requireCommand("python3", "apt-get install python3");
  }

  @Override
  protected Future<CloudProvider> createProvider(Vertx vertx, ProviderContext context) {
    JsonObject files = new JsonObject()
        .put("command", new JsonArray(List.of("python3", "-m", "http.server", "{port}", "--bind", "127.0.0.1")))
        .put("workingDir", www.toString());
    return new ProcessCloudProviderFactory().create(vertx, new JsonObject()
        .put("type", "process")
        .put("host", "127.0.0.1")
        .put("stateDir", stateDir.toString())
        .put("onShutdown", "leave")
        .put("resources", new JsonObject().put("files", files)), context);
  }

  @Override
  protected String startableResource() {
    return "files";
  }

  /** A child's pid file lives as long as the child: none left means the kit stopped every one it started. */
  @AfterEach
  void noChildIsLeftRunning() throws IOException {
    try (Stream<Path> left = Files.list(stateDir)) {
      assertThat(left.filter(p -> p.getFileName().toString().endsWith(".json")).toList())
          .as("pid files of children still running after the test").isEmpty();
    }
  }
}
