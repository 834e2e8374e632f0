package dev.smartgateway.conformance.adapters;

import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.ProviderContext;
import dev.smartgateway.cloud.qemu.QemuCloudProviderFactory;
import dev.smartgateway.conformance.CloudProviderContract;
import dev.smartgateway.conformance.ContractTimeouts;
import dev.smartgateway.conformance.Prerequisites;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code qemu} adapter: each instance is a real VM, the example guest of examples/qemu (Debian's cloud kernel and
 * a busybox initramfs serving HTTP on port 8080), built here by {@code examples/qemu/build-image.sh}, which skips an
 * image that is up to date. All providers of a test share one {@code stateDir}, which is what makes them one cloud.
 * Guests are small (128 MiB) and, on a machine without usable KVM, emulated (TCG): boots take seconds, so fewer
 * concurrent starts than the default.
 */
class QemuConformanceTest extends CloudProviderContract {

  private static final Path BUILD = Path.of("..", "examples", "qemu", "build").toAbsolutePath().normalize();

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ALWAYS)
  Path stateDir;

  @BeforeAll
  static void qemuAndTheExampleGuest() throws Exception {
    Prerequisites.requireCommand("qemu-system-x86_64", "apt-get install qemu-system-x86, or bash .ci/qemu");
    Prerequisites.requireCommand("cpio", "apt-get install cpio, or bash .ci/qemu");
    Path script = Path.of("..", "examples", "qemu", "build-image.sh").toAbsolutePath().normalize();
    Process build = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!build.waitFor(10, TimeUnit.MINUTES) || build.exitValue() != 0) {
      throw new IllegalStateException(script + " failed (exit " + (build.isAlive() ? "none: timed out" : build.exitValue()) + ")");
    }
  }

  @Override
  protected Future<CloudProvider> createProvider(Vertx vertx, ProviderContext context) {
    JsonObject echo = new JsonObject()
        .put("kernel", BUILD.resolve("vmlinuz").toString())
        .put("initrd", BUILD.resolve("initrd.gz").toString())
        .put("guestPort", 8080)
        .put("memory", "128m")
        .put("stopTimeout", "20s");
    return new QemuCloudProviderFactory().create(vertx, new JsonObject()
        .put("type", "qemu")
        .put("stateDir", stateDir.toString())
        .put("onShutdown", "leave")
        .put("resources", new JsonObject().put("echo", echo)), context);
  }

  @Override
  protected String startableResource() {
    return "echo";
  }

  @Override
  protected int concurrentStarts() {
    return 3;
  }

  /** Ready within two minutes even with three guests emulated at once on two busy cores. */
  @Override
  protected ContractTimeouts timeouts() {
    return new ContractTimeouts(Duration.ofSeconds(60), Duration.ofMinutes(2), Duration.ofMinutes(1));
  }

  /** A VM's record lives as long as its QEMU: none left means the kit stopped every VM it started. */
  @AfterEach
  void noVmIsLeftRunning() throws IOException {
    try (Stream<Path> left = Files.list(stateDir)) {
      assertThat(left.filter(p -> p.getFileName().toString().endsWith(".json")).toList())
          .as("records of VMs still running after the test").isEmpty();
    }
  }
}
