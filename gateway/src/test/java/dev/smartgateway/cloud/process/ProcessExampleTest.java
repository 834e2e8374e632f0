package dev.smartgateway.cloud.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code examples/process/gateway.yaml} works: its provider section is valid and both resources serve, run
 * from the repository root as its README says (only the state directory is moved to a temporary one).
 */
@ExtendWith(VertxExtension.class)
class ProcessExampleTest {

  @TempDir
  Path stateDir;

  private ProcessTestSupport support;
  private Path repository;

  @BeforeEach
  void setUp(Vertx vertx) {
    support = new ProcessTestSupport(vertx);
    repository = Path.of("").toAbsolutePath();
    while (!Files.exists(repository.resolve("examples/process/gateway.yaml"))) {
      repository = repository.getParent();
      assertThat(repository).as("repository root with examples/process").isNotNull();
    }
  }

  @AfterEach
  void noProcessSurvives() {
    support.closeAndAssertNoSurvivors();
  }

  @Test
  void theExampleServesFilesAndHelloOnDemand() throws IOException {
    @SuppressWarnings("unchecked")
    Map<String, Object> yaml = new ObjectMapper(new YAMLFactory())
        .readValue(repository.resolve("examples/process/gateway.yaml").toFile(), Map.class);
    JsonObject provider = new JsonObject(yaml).getJsonObject("provider").put("stateDir", stateDir.toString());
    // The gateway runs from the repository root; here the relative paths are anchored there explicitly.
    JsonObject resources = provider.getJsonObject("resources");
    resources.getJsonObject("files").put("workingDir",
        repository.resolve(resources.getJsonObject("files").getString("workingDir")).normalize().toString());
    resources.getJsonObject("hello").put("workingDir", repository.toString());
    var gateway = support.create(provider);

    Instance files = gateway.awaitEvent(gateway.start("files", "g1").id(), InstanceState.RUNNING);
    Instance hello = gateway.awaitEvent(gateway.start("hello", "g1", "g2").id(), InstanceState.RUNNING);

    assertThat(support.get(files.endpoint().resolve("/")).body()).contains("Served by an on-demand process");
    assertThat(support.get(hello.endpoint().resolve("/")).body())
        .contains("\"message\":\"Hello, g1,g2!\"")
        .contains("\"startedForGroups\":[\"g1\",\"g2\"]");
  }
}
