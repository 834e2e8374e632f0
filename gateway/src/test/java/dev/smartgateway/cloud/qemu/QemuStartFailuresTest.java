package dev.smartgateway.cloud.qemu;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.ProviderContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What goes wrong before a VM runs is a typed, clear failure and leaves nothing behind; and a provider opening on a
 * state directory takes only what is its own. None of these need QEMU: stand-in programs play its part.
 */
@ExtendWith(VertxExtension.class)
class QemuStartFailuresTest {

  @TempDir
  Path dir;
  private CloudProvider provider;

  @AfterEach
  void close() throws Exception {
    if (provider != null) {
      await(provider.close());
    }
  }

  private CloudProvider open(Vertx vertx, String qemu, JsonObject resource) throws Exception {
    provider = await(new QemuCloudProviderFactory().create(vertx, new JsonObject()
        .put("qemu", qemu)
        .put("stateDir", dir.resolve("state").toString())
        .put("resources", new JsonObject().put("demo", resource)), ProviderContext.of("gw-a")));
    return provider;
  }

  @Test
  void anUnknownResourceIsUnknownResource(Vertx vertx) throws Exception {
    open(vertx, "/bin/true", new JsonObject().put("kernel", kernel().toString()));

    assertFailure(provider.start("wiki", Set.of()), CloudException.Kind.UNKNOWN_RESOURCE,
        "the qemu provider has no resource 'wiki' (configured: demo)");
  }

  @Test
  void aMissingQemuIsPermanentAndSaysHowToGetIt(Vertx vertx) throws Exception {
    open(vertx, "qemu-system-that-does-not-exist", new JsonObject().put("kernel", kernel().toString()));

    assertFailure(provider.start("demo", Set.of()), CloudException.Kind.PERMANENT,
        "qemu-system-that-does-not-exist not found on the PATH (apt-get install qemu-system-x86, or set provider.qemu)");
  }

  @Test
  void aMissingKernelIsPermanentAndNamesTheFileAndTheKey(Vertx vertx) throws Exception {
    Path missing = dir.resolve("build/vmlinuz");
    open(vertx, "/bin/true", new JsonObject().put("kernel", missing.toString()));

    assertFailure(provider.start("demo", Set.of()), CloudException.Kind.PERMANENT,
        "the kernel of resource 'demo' is missing or unreadable: " + missing + " (provider.resources.demo.kernel)");
  }

  @Test
  void aQemuThatRefusesToStartIsPermanentWithItsOwnWordsAndLeavesNoFiles(Vertx vertx) throws Exception {
    Path fake = script("fake-qemu", "echo 'qemu-system-x86_64: -accel kvm: failed to initialize kvm: Permission denied' >&2\nexit 1");
    open(vertx, fake.toString(), new JsonObject().put("kernel", kernel().toString()));

    assertFailure(provider.start("demo", Set.of()), CloudException.Kind.PERMANENT,
        "QEMU cannot start resource 'demo': exit status 1: qemu-system-x86_64: -accel kvm: failed to initialize kvm");
    try (Stream<Path> left = Files.list(dir.resolve("state"))) {
      assertThat(left.toList()).isEmpty();
    }
  }

  @Test
  void openingAdoptsNothingThatIsNotItsOwnAndLiveAndClearsItsOwnDeadRecords(Vertx vertx) throws Exception {
    StateDir state = new StateDir(dir.resolve("state"));
    state.create();
    long dead = deadPid();
    long alive = ProcessHandle.current().pid(); // alive, but no QEMU of ours: a recycled pid must not be adopted
    state.write(record("sg-demo-0000000a", dead, "gw-a"));
    state.write(record("sg-demo-0000000b", alive, "gw-a"));
    state.write(record("sg-demo-0000000c", dead, "gw-b"));
    Files.writeString(state.paths("sg-demo-0000000a").console(), "old console\n");

    open(vertx, "/bin/true", new JsonObject().put("kernel", kernel().toString()));

    assertThat(await(provider.list())).isEmpty();
    try (Stream<Path> left = Files.list(state.dir())) {
      assertThat(left.map(p -> p.getFileName().toString()).toList())
          .as("only the other owner's record is left: that gateway cleans up its own")
          .containsExactly("sg-demo-0000000c.json");
    }
  }

  private static VmRecord record(String id, long pid, String owner) {
    return new VmRecord(id, "demo", Set.of("g1"), pid, 40000, owner, Instant.now(), "tcg", List.of("qemu-system-x86_64"));
  }

  private static long deadPid() throws Exception {
    Process process = new ProcessBuilder("true").start();
    process.waitFor(10, TimeUnit.SECONDS);
    return process.pid();
  }

  private Path kernel() throws IOException {
    Path kernel = dir.resolve("vmlinuz");
    if (!Files.exists(kernel)) {
      Files.writeString(kernel, "not really a kernel");
    }
    return kernel;
  }

  private Path script(String name, String body) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private static void assertFailure(Future<?> call, CloudException.Kind kind, String message) {
    assertThatThrownBy(() -> await(call))
        .isInstanceOf(CloudException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((CloudException) e).kind()).isEqualTo(kind));
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
