package dev.smartgateway.cloud.qemu;

import dev.smartgateway.cloud.Liveness;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What the qemu adapter's tests need from the machine, looked at from the test side (independent of the code under
 * test): QEMU, the example guest (built once per test JVM by {@code examples/qemu/build-image.sh}), and the QEMU
 * processes a state directory records, so that a test can kill one and every test can end the VMs it left.
 */
public final class QemuMachine {

  private static volatile Path built;

  private QemuMachine() {
  }

  /**
   * Skips the calling test when QEMU or the tools to build the example guest are missing; under {@code CI=true}
   * fails it instead, so a CI run can never pass by skipping the QEMU tests.
   */
  public static void require() {
    String missing = Executables.find("qemu-system-x86_64", Executables.path()) == null ? "qemu-system-x86_64"
        : Executables.find("cpio", Executables.path()) == null ? "cpio"
        : Executables.find("apt-get", Executables.path()) == null ? "apt-get (the guest is built from Debian's packages)"
        : null;
    if (missing == null) {
      return;
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException("QEMU tests need " + missing + " and CI=true: .ci/qemu installs it");
    }
    Assumptions.abort("QEMU test skipped: no " + missing + " (install with: bash .ci/qemu)");
  }

  /** The example guest's build directory (vmlinuz, initrd.gz), built the first time a test asks. */
  public static synchronized Path guest() {
    if (built == null) {
      Path root = projectRoot();
      try {
        Process build = new ProcessBuilder("bash", root.resolve("examples/qemu/build-image.sh").toString())
            .redirectErrorStream(true).start();
        String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!build.waitFor(10, TimeUnit.MINUTES) || build.exitValue() != 0) {
          throw new AssertionError("examples/qemu/build-image.sh failed:\n" + output);
        }
      } catch (IOException e) {
        throw new AssertionError("cannot run examples/qemu/build-image.sh", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      built = root.resolve("examples/qemu/build");
    }
    return built;
  }

  /** The live QEMU processes the state directory records, by instance id. */
  public static Map<String, ProcessHandle> vms(Path stateDir) {
    Map<String, ProcessHandle> live = new TreeMap<>();
    try (DirectoryStream<Path> records = Files.newDirectoryStream(stateDir, "*.json")) {
      for (Path record : records) {
        JsonObject json = new JsonObject(Files.readString(record));
        Optional<ProcessHandle> process = ProcessHandle.of(json.getLong("pid")).filter(p -> !Liveness.gone(p));
        process.ifPresent(p -> live.put(json.getString("id"), p));
      }
    } catch (IOException e) {
      // no state directory yet: no VM
    }
    return live;
  }

  /** Kills (SIGKILL) every QEMU the state directory records: what a test leaves behind, passed or not. */
  public static void killAll(Path stateDir) {
    vms(stateDir).values().forEach(ProcessHandle::destroyForcibly);
  }

  /** The directory with the parent pom: tests run in the module's directory, scripts live at the top. */
  static Path projectRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("examples/qemu/build-image.sh"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("examples/qemu/build-image.sh not found above " + Path.of("").toAbsolutePath());
  }
}
