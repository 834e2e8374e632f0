package dev.smartgateway.conformance;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What an adapter's conformance test needs from the machine (a {@code docker} daemon, {@code qemu-system-x86_64},
 * {@code python3}, a cloud account's credentials): where it is missing the test is <em>skipped</em> with the reason,
 * so that a developer without it can still build, except under {@code CI=true}, where it <em>fails</em>: a CI that
 * silently skips the only test of an adapter proves nothing, so CI must install what the tests need.
 *
 * <p>Call it from a {@code @BeforeAll} (skips the whole class) or a {@code @BeforeEach} (reports each test skipped):
 *
 * <pre>{@code
 * @BeforeAll
 * static void qemu() {
 *   Prerequisites.requireCommand("qemu-system-x86_64", "apt-get install qemu-system-x86");
 * }
 * }</pre>
 */
public final class Prerequisites {

  private Prerequisites() {
  }

  /**
   * Skips the test (fails it under {@code CI=true}) unless {@code command} is an executable file: an absolute path,
   * or a name found on the {@code PATH}.
   *
   * @param install how to get it, for the message ({@code apt-get install docker.io})
   */
  public static void requireCommand(String command, String install) {
    require(onPath(command), "the command '" + command + "'", install);
  }

  /**
   * Skips the test (fails it under {@code CI=true}) unless {@code present}.
   *
   * @param what    what is needed, for the message ({@code a Docker daemon at /var/run/docker.sock})
   * @param install how to get it, for the message
   */
  public static void require(boolean present, String what, String install) {
    require(present, what, install, underCi());
  }

  /** {@link #require(boolean, String, String)} with the CI flag given, so that both outcomes can be tested. */
  static void require(boolean present, String what, String install, boolean ci) {
    if (present) {
      return;
    }
    String missing = what + " is missing (" + install + ")";
    if (ci) {
      throw new IllegalStateException(missing + ": CI=true, where a missing prerequisite fails the test instead of"
          + " skipping it; the CI script must install it");
    }
    Assumptions.abort("skipped: " + missing);
  }

  /** Whether {@code command} is an executable file, by absolute path or on the {@code PATH}. */
  public static boolean onPath(String command) {
    if (command.contains(File.separator)) {
      return Files.isExecutable(Path.of(command));
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command)) && !Files.isDirectory(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  /** {@code CI=true} in the environment, as CI sets it. */
  public static boolean underCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }
}
