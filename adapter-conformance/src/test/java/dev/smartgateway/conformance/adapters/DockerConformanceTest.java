package dev.smartgateway.conformance.adapters;

import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.ProviderContext;
import dev.smartgateway.cloud.docker.DockerCloudProviderFactory;
import dev.smartgateway.conformance.CloudProviderContract;
import dev.smartgateway.conformance.Prerequisites;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code docker} adapter against the machine's Docker daemon, with the example's echo image (built here by
 * {@code examples/docker/build-image.sh}, which skips an image that is up to date). Each provider of a test shares
 * the daemon, which is what makes them one cloud; the owners the kit gives them keep tests apart.
 */
class DockerConformanceTest extends CloudProviderContract {

  private static final Path SOCKET = Path.of("/var/run/docker.sock");

  @BeforeAll
  static void dockerAndTheEchoImage() throws Exception {
    Prerequisites.require(Files.isWritable(SOCKET), "a Docker daemon at " + SOCKET, "bash .ci/docker");
    Path script = Path.of("..", "examples", "docker", "build-image.sh").toAbsolutePath().normalize();
    Process build = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!build.waitFor(5, TimeUnit.MINUTES) || build.exitValue() != 0) {
      throw new IllegalStateException(script + " failed (exit " + (build.isAlive() ? "none: timed out" : build.exitValue()) + ")");
    }
  }

  @Override
  protected Future<CloudProvider> createProvider(Vertx vertx, ProviderContext context) {
    JsonObject echo = new JsonObject()
        .put("image", "smart-gateway/echo:1")
        .put("command", new JsonArray(List.of("/bin/httpd", "-f", "-p", "{host}:{port}", "-h", "/www")))
        .put("init", true)
        .put("readiness", new JsonObject().put("path", "/").put("timeout", "30s"))
        .put("stopTimeout", "5s");
    return new DockerCloudProviderFactory().create(vertx, new JsonObject()
        .put("type", "docker")
        .put("socket", SOCKET.toString())
        .put("host", "127.0.0.1")
        .put("resources", new JsonObject().put("echo", echo)), context);
  }

  @Override
  protected String startableResource() {
    return "echo";
  }
}
