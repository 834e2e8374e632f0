package dev.smartgateway.cloud.process;

import dev.smartgateway.cloud.FreePort;
import dev.smartgateway.cloud.local.Claim;
import dev.smartgateway.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a provider finds when it opens: checks of the configuration against the machine, and the children
 * a previous gateway left running. Blocking (file system, /proc, sockets): call from a worker thread.
 */
final class Recovery {

  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  /**
   * @param setsid    the {@code setsid} program, or null (see {@link ProcessLauncher})
   * @param adoptable children still running the command their pid files record
   */
  record Found(Path setsid, List<Adoptable> adoptable) {
  }

  /** A child found alive at start-up; its output is followed from where the file ends now. */
  record Adoptable(PidRecord record, ProcessHandle handle, ChildOutput output) {
  }

  private Recovery() {
  }

  /**
   * @param owner the provider's owner, or null for none
   * @throws ConfigException for a working directory that is missing or a host that cannot be listened on
   */
  static Found run(ProcessSettings settings, PidFiles files, String owner) {
    checkEnvironment(settings);
    files.createDirectory();
    return new Found(ProcessLauncher.findSetsid(), adoptable(files, owner));
  }

  private static void checkEnvironment(ProcessSettings settings) {
    settings.resources().values().forEach(spec -> {
      if (spec.workingDir() != null && !Files.isDirectory(spec.workingDir())) {
        throw new ConfigException("provider.resources." + spec.resource() + ".workingDir",
            "not a directory: " + spec.workingDir().toAbsolutePath().normalize());
      }
    });
    try {
      FreePort.pick(settings.host());
    } catch (UncheckedIOException e) {
      throw new ConfigException("provider.host", "cannot listen on " + settings.host() + ": " + e.getCause().getMessage());
    }
  }

  /**
   * Reads every pid file; keeps the live children of {@code owner}, deletes what is left of its dead ones, by the
   * owner rule of {@link Claim}. A file without an owner was written before owners existed, or by a provider
   * created without one.
   */
  private static List<Adoptable> adoptable(PidFiles files, String owner) {
    Claim<PidRecord> claim = Claim.sort(files.readAll(), owner, ProcessIdentity::find);
    for (Claim.Live<PidRecord> live : claim.unowned()) {
      PidRecord record = live.record();
      LOG.warn("Not adopting {} (pid {}, port {}): its pid file {} records no owner (started before gateway ids),"
              + " so it may belong to another gateway; stop it by hand if none uses it: kill {}",
          record.id(), record.pid(), record.port(), files.pidFile(record.resource(), record.id()), record.pid());
    }
    for (PidRecord record : claim.dead()) {
      LOG.info("Forgetting {} (pid {}): no longer running {}", record.id(), record.pid(), record.command());
      files.delete(record.resource(), record.id());
      files.deleteOutput(record.resource(), record.id());
    }
    if (!claim.foreign().isEmpty()) {
      LOG.info("Leaving alone {} pid file(s) of other gateways in {} (by owner: {})", claim.foreignCount(),
          files.dir(), claim.foreign());
    }
    return claim.adoptable().stream().map(live -> {
      PidRecord record = live.record();
      ChildOutput output = new ChildOutput(files.outputFile(record.resource(), record.id()),
          ProcessCloudProvider.childLog(record.resource()), record.id(), true);
      return new Adoptable(record, live.process(), output);
    }).toList();
  }
}
