package dev.smartgateway.cloud.qemu;

import dev.smartgateway.cloud.Liveness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a provider finds when it opens: the VMs a previous gateway of the same owner left running, from their records
 * in the state directory. Blocking (files, /proc): call from a worker thread.
 */
final class Recovery {

  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  /** A VM found alive; its console is followed from where the file ends now. */
  record Adoptable(VmRecord record, VmPaths paths, ProcessHandle process) {
  }

  private Recovery() {
  }

  /**
   * Keeps the live VMs of {@code owner}, deletes what is left of its dead ones. Another owner's records are left
   * alone, dead or alive: that gateway adopts or cleans them up itself. A live VM without an owner is not adopted by
   * a provider that has one (it may be anyone's): it is logged, to be stopped by hand.
   *
   * @param owner the provider's owner, or null for none
   */
  static List<Adoptable> run(StateDir dir, String owner) {
    dir.create();
    List<Adoptable> adoptable = new ArrayList<>();
    Map<String, Integer> foreign = new TreeMap<>();
    for (VmRecord record : dir.readAll()) {
      if (record.owner() != null && !record.owner().equals(owner)) {
        foreign.merge(record.owner(), 1, Integer::sum);
        continue;
      }
      VmPaths paths = dir.paths(record.id());
      Optional<ProcessHandle> process = find(record, paths);
      if (process.isPresent() && record.owner() == null && owner != null) {
        LOG.warn("Not adopting {} (pid {}, port {}): its record {} names no owner, so it may be another gateway's;"
            + " stop it by hand if none uses it: kill {}", record.id(), record.pid(), record.port(), paths.record(), record.pid());
      } else if (process.isPresent()) {
        adoptable.add(new Adoptable(record, paths, process.get()));
      } else {
        LOG.info("Forgetting {} (pid {}): its QEMU is no longer running", record.id(), record.pid());
        dir.deleteAll(record.id());
      }
    }
    if (!foreign.isEmpty()) {
      LOG.info("Leaving alone {} VM(s) of other gateways in {} (by owner: {})",
          foreign.values().stream().mapToInt(Integer::intValue).sum(), dir.dir(), foreign);
    }
    return adoptable;
  }

  /**
   * The live QEMU the record describes: its pid runs, and its command line serves this VM's QMP socket. A recycled
   * pid runs something else, which is never adopted (adopting a stranger would mean killing it later).
   */
  static Optional<ProcessHandle> find(VmRecord record, VmPaths paths) {
    Optional<ProcessHandle> process = ProcessHandle.of(record.pid()).filter(p -> !Liveness.gone(p));
    if (process.isEmpty()) {
      return Optional.empty();
    }
    String socketArgument = "unix:" + QemuCommand.option(paths.qmp()) + ",";
    return commandLine(record.pid()).stream().anyMatch(arg -> arg.startsWith(socketArgument))
        ? process : Optional.empty();
  }

  private static List<String> commandLine(long pid) {
    try {
      String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
      return List.of(raw.split("\0"));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}
