package dev.smartgateway.cloud.process;

import dev.smartgateway.cloud.FreePort;
import dev.smartgateway.cloud.CloudException;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Launches children and records them in pid files. Blocking (fork/exec, file I/O): call from a worker thread. */
final class ProcessLauncher {

  /** One launched child process, already recorded in its pid file. */
  record Launch(String id, Process process, int port, List<String> commandLine, Instant startedAt,
                boolean processGroup) {
  }

  private static final File NO_INPUT = new File("/dev/null");

  private final String host;
  private final PidFiles files;
  private final Path setsid;
  private final String owner;

  /**
   * @param setsid the {@code setsid} program, or null. With it each child leads its own process group and
   *               session: stop signals reach everything it started, even processes whose parent already
   *               exited, and a Ctrl-C meant for the gateway's terminal does not reach the children.
   *               {@code setsid} execs the command in place, so the pid stays the child's.
   * @param owner  recorded in every pid file (null: none)
   */
  ProcessLauncher(String host, PidFiles files, Path setsid, String owner) {
    this.host = host;
    this.files = files;
    this.setsid = setsid;
    this.owner = owner;
  }

  /** Blocking: the {@code setsid} program on the gateway's PATH, if there is one. */
  static Path findSetsid() {
    return findOnPath("setsid", System.getenv().getOrDefault("PATH", ""));
  }

  /**
   * Launches a child of {@code spec} on a free port.
   *
   * @param id null for a new child (its id becomes {@code <resource>-<pid>}); the existing id when an
   *           instance is relaunched after losing the port race, so the gateway keeps one instance
   */
  Launch launch(ProcessSpec spec, Set<String> groups, String id) {
    int port = FreePort.pick(host);
    List<String> commandLine = spec.commandLine(port, groups);
    // The output file is named after the id, which needs the pid: a new child writes to a provisional
    // name first; renaming it afterwards is safe because the child holds the open file, not the name.
    Path output = id != null
        ? files.outputFile(spec.resource(), id)
        : files.dir().resolve(spec.resource() + ".starting-" + port + ".log");
    List<String> launched = new ArrayList<>();
    if (setsid != null) {
      launched.add(setsid.toString());
    }
    launched.addAll(commandLine);
    ProcessBuilder builder = new ProcessBuilder(launched)
        .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
    if (spec.workingDir() != null) {
      builder.directory(spec.workingDir().toFile());
    }
    builder.environment().putAll(spec.environment(port, groups));
    checkRunnable(spec, commandLine.get(0), builder.environment().getOrDefault("PATH", ""));

    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      deleteQuietly(output);
      throw new CloudException(CloudException.Kind.PERMANENT,
          "cannot run " + commandLine.get(0) + " for resource " + spec.resource() + ": " + e.getMessage(), e);
    }
    Instant startedAt = Instant.now();
    String childId = id != null ? id : spec.resource() + "-" + process.pid();
    try {
      if (id == null) {
        Files.move(output, files.outputFile(spec.resource(), childId), StandardCopyOption.REPLACE_EXISTING);
      }
      files.write(new PidRecord(childId, spec.resource(), process.pid(), port, groups, startedAt, commandLine,
          setsid != null, owner));
    } catch (IOException | UncheckedIOException e) {
      // Without a pid file a gateway restart would orphan the child: better not to run it at all.
      process.destroyForcibly();
      deleteQuietly(output);
      files.deleteOutput(spec.resource(), childId);
      throw new CloudException(CloudException.Kind.TRANSIENT,
          "cannot record child " + childId + " in " + files.dir() + ": " + e.getMessage(), e);
    }
    return new Launch(childId, process, port, commandLine, startedAt, setsid != null);
  }

  /**
   * Fails early, as a permanent error, for a program that cannot be run: behind {@code setsid} it would
   * only show as an exit code. Looked up like the child's exec will: on the child's PATH, or relative to
   * its working directory.
   */
  private static void checkRunnable(ProcessSpec spec, String program, String path) {
    Path found;
    if (program.contains("/")) {
      Path base = spec.workingDir() != null ? spec.workingDir() : Path.of("");
      Path candidate = base.toAbsolutePath().resolve(program);
      found = isRunnable(candidate) ? candidate : null;
    } else {
      found = findOnPath(program, path);
    }
    if (found == null) {
      throw new CloudException(CloudException.Kind.PERMANENT, "cannot run " + program + " for resource "
          + spec.resource() + ": " + (program.contains("/") ? "no executable file there" : "not found on PATH"));
    }
  }

  private static Path findOnPath(String program, String path) {
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (isRunnable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static boolean isRunnable(Path file) {
    return Files.isRegularFile(file) && Files.isExecutable(file);
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // only a leftover log file
    }
  }
}
