package dev.smartgateway.cloud.docker;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The real Docker daemon the docker adapter's tests use, driven from the test side with the {@code docker} command
 * (independent of the code under test): whether one answers, the example image (built once per test JVM by
 * {@code examples/docker/build-image.sh}), and the containers of a test's owner, so that every test removes what
 * it created even when it fails.
 */
public final class DockerDaemon {

  /** The daemon's socket: Docker's default, or another one (Podman's) given as {@code -Dsmartgateway.test.dockerSocket}. */
  public static final String SOCKET = System.getProperty("smartgateway.test.dockerSocket", DockerEndpoint.DEFAULT_SOCKET);
  public static final String ECHO_IMAGE = "smart-gateway/echo:1";
  private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(60);
  private static volatile String builtImage;

  private DockerDaemon() {
  }

  /**
   * Skips the calling test when no Docker daemon answers on {@link #SOCKET}; under {@code CI=true} fails it instead,
   * so a CI run can never pass by skipping the Docker tests.
   */
  public static void require() {
    String missing = missing();
    if (missing == null) {
      return;
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException("Docker tests need a Docker daemon and CI=true: " + missing
          + "; .ci/docker installs and starts one");
    }
    Assumptions.abort("Docker test skipped: " + missing + " (start one with: bash .ci/docker)");
  }

  /** Null when a daemon answers {@code GET /_ping} on the socket, else what is missing. */
  public static String missing() {
    Path socket = Path.of(SOCKET);
    if (!Files.exists(socket)) {
      return "no Docker socket at " + SOCKET;
    }
    CompletableFuture<String> ping = CompletableFuture.supplyAsync(() -> ping(socket));
    try {
      String problem = ping.get(5, TimeUnit.SECONDS);
      if (problem != null) {
        return problem;
      }
    } catch (Exception e) {
      ping.cancel(true);
      return "the Docker daemon at " + SOCKET + " does not answer a ping within 5 s";
    }
    if (findDocker() == null) {
      return "no docker command on the PATH";
    }
    return null;
  }

  private static String ping(Path socket) {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      ByteBuffer answer = ByteBuffer.allocate(512);
      // HTTP/1.0: the daemon closes the connection after its answer.
      while (answer.hasRemaining() && channel.read(answer) > 0) {
        // read until the daemon closes or the buffer is full
      }
      String text = new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII);
      if (!text.startsWith("HTTP/1.") || !text.contains(" 200 ")) {
        return "the Docker daemon at " + SOCKET + " does not answer a ping: " + text.lines().findFirst().orElse("");
      }
      return null;
    } catch (IOException e) {
      return "no Docker daemon answers at " + SOCKET + " (" + e.getMessage() + ")";
    }
  }

  /** The example image, built by the example's own script the first time a test asks (idempotent and quick after). */
  public static synchronized String echoImage() {
    if (builtImage == null) {
      Path script = projectRoot().resolve("examples/docker/build-image.sh");
      Result built = run(List.of("bash", script.toString(), ECHO_IMAGE));
      if (built.status() != 0) {
        throw new AssertionError("examples/docker/build-image.sh failed (" + built.status() + "):\n" + built.output());
      }
      builtImage = ECHO_IMAGE;
    }
    return builtImage;
  }

  /** An owner no other test run uses, so that parallel runs on one daemon never see each other's containers. */
  public static String newOwner(String what) {
    return "sgt-" + what + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 24);
  }

  /** The names of the owner's containers, in any state. */
  public static List<String> containersOf(String owner) {
    String out = docker("ps", "-a", "--filter", "label=" + Labels.OWNER + "=" + owner, "--format", "{{.Names}}");
    return out.isBlank() ? List.of() : List.of(out.strip().split("\\s+"));
  }

  /** Removes every container of the owner (force): what a test leaves behind, whether it passed or not. */
  public static List<String> removeContainersOf(String owner) {
    List<String> left = containersOf(owner);
    if (!left.isEmpty()) {
      List<String> args = new ArrayList<>(List.of("rm", "-f"));
      args.addAll(left);
      docker(args.toArray(String[]::new));
    }
    return left;
  }

  /** Runs {@code docker args...}; fails the test unless it exits 0. Answers its output. */
  public static String docker(String... args) {
    List<String> command = new ArrayList<>();
    command.add(findDocker());
    command.addAll(Arrays.asList(args));
    Result result = run(command);
    if (result.status() != 0) {
      throw new AssertionError("docker " + String.join(" ", args) + " exited " + result.status() + ":\n" + result.output());
    }
    return result.output();
  }

  /** Runs {@code docker args...} whatever it exits with. */
  public static Result dockerResult(String... args) {
    List<String> command = new ArrayList<>();
    command.add(findDocker());
    command.addAll(Arrays.asList(args));
    return run(command);
  }

  public record Result(int status, String output) {
  }

  private static Result run(List<String> command) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      // The docker command (and build-image.sh's) talks to the daemon the tests talk to.
      builder.environment().put("DOCKER_HOST", "unix://" + SOCKET);
      Process process = builder.start();
      CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
        try {
          return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      if (!process.waitFor(COMMAND_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not end within " + COMMAND_DEADLINE);
      }
      return new Result(process.exitValue(), output.get(10, TimeUnit.SECONDS));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new AssertionError(String.join(" ", command) + " failed", e);
    }
  }

  private static String findDocker() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(dir, "docker");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  /** The directory with the parent pom: tests run in the module's directory, scripts live at the top. */
  static Path projectRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("examples/docker/build-image.sh"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("examples/docker/build-image.sh not found above " + Path.of("").toAbsolutePath());
  }
}
