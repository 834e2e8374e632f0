package dev.smartgateway.cloud.qemu;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.FreePort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Launches one VM: checks the programs and files, makes the disk overlay, picks a loopback port, runs QEMU until it
 * daemonizes, and records the VM in the state directory. Blocking (processes, files): call from a worker thread.
 * Every failure is a {@link CloudException}; nothing is left behind by one.
 */
final class VmLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(VmLauncher.class);
  /** QEMU daemonizes once it is set up: well within this, even on a loaded machine. */
  private static final long SETUP_SECONDS = 60;
  /** First try plus retries after losing the race for a free port (see {@link FreePort}). */
  private static final int MAX_PORT_TRIES = 3;
  private static final int MAX_OUTPUT_CHARS = 4000;

  /** A VM that QEMU has set up and daemonized. */
  record Launch(VmRecord record, VmPaths paths) {
  }

  private final QemuSettings settings;
  private final StateDir dir;
  private final Accel accel;
  private final String owner;

  VmLauncher(QemuSettings settings, StateDir dir, Accel accel, String owner) {
    this.settings = settings;
    this.dir = dir;
    this.accel = accel;
    this.owner = owner;
  }

  Launch launch(VmSpec spec, Set<String> groups) {
    Path qemu = program(settings.qemu(), "provider.qemu", "apt-get install qemu-system-x86");
    requireFile(spec.kernel(), "kernel", spec);
    requireFile(spec.initrd(), "initrd", spec);
    requireFile(spec.disk(), "disk", spec);
    String id = "sg-" + spec.resource() + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    VmPaths paths = dir.paths(id);
    dir.create();
    try {
      if (!spec.bootsKernel()) {
        Path qemuImg = program(settings.qemuImg(), "provider.qemuImg", "apt-get install qemu-utils");
        String failure = run(QemuCommand.overlay(qemuImg.toString(), spec, paths), paths);
        if (failure != null) {
          throw new CloudException(CloudException.Kind.PERMANENT, "qemu-img cannot make an overlay of "
              + spec.disk() + " for resource '" + spec.resource() + "': " + failure);
        }
      }
      for (int attempt = 1; ; attempt++) {
        int port = FreePort.pick(settings.host());
        List<String> command = QemuCommand.vm(qemu.toString(), spec, paths, id, accel, settings.host(), port);
        String failure = run(command, paths);
        if (failure == null) {
          long pid = dir.readPid(id);
          if (pid <= 0) {
            throw new CloudException(CloudException.Kind.PERMANENT, "QEMU started " + id + " but wrote no pid file "
                + paths.pid());
          }
          VmRecord record = new VmRecord(id, spec.resource(), groups, pid, port, owner, Instant.now(),
              accel.qemuName(), command);
          dir.write(record);
          return new Launch(record, paths);
        }
        if (portTaken(failure) && attempt < MAX_PORT_TRIES) {
          LOG.warn("{}: port {} was taken since it was picked; trying another", id, port);
          continue;
        }
        throw new CloudException(CloudException.Kind.PERMANENT, "QEMU cannot start resource '" + spec.resource()
            + "': " + failure);
      }
    } catch (RuntimeException e) {
      dir.deleteAll(id);
      throw e instanceof CloudException ? e
          : new CloudException(CloudException.Kind.TRANSIENT, "cannot start resource '" + spec.resource() + "': " + e, e);
    }
  }

  /** Runs a set-up command to its end; null if it succeeded, else what went wrong (its output). */
  private static String run(List<String> command, VmPaths paths) {
    try {
      // To a file, not a pipe: a daemonizing QEMU's child must not hold a pipe of ours.
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(paths.launch().toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      if (!process.waitFor(SETUP_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return command.get(0) + " did not finish setting up within " + SETUP_SECONDS + " s";
      }
      String output = Files.readString(paths.launch(), StandardCharsets.UTF_8).strip();
      Files.deleteIfExists(paths.launch());
      if (process.exitValue() == 0) {
        return null;
      }
      if (output.length() > MAX_OUTPUT_CHARS) {
        output = "..." + output.substring(output.length() - MAX_OUTPUT_CHARS);
      }
      return "exit status " + process.exitValue() + (output.isEmpty() ? "" : ": " + output);
    } catch (IOException e) {
      return "cannot run " + command.get(0) + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while running " + command.get(0);
    }
  }

  private static boolean portTaken(String failure) {
    String text = failure.toLowerCase(Locale.ROOT);
    return text.contains("host forwarding rule") || text.contains("address already in use");
  }

  private static Path program(String name, String key, String install) {
    Path found = Executables.find(name, Executables.path());
    if (found == null) {
      throw new CloudException(CloudException.Kind.PERMANENT, name + " not found"
          + (name.contains("/") ? "" : " on the PATH") + " (" + install + ", or set " + key + ")");
    }
    return found;
  }

  private static void requireFile(Path file, String what, VmSpec spec) {
    if (file != null && !Files.isReadable(file)) {
      throw new CloudException(CloudException.Kind.PERMANENT, "the " + what + " of resource '" + spec.resource()
          + "' is missing or unreadable: " + file + " (provider.resources." + spec.resource() + "." + what + ")");
    }
  }
}
