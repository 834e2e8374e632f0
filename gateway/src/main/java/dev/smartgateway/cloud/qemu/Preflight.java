package dev.smartgateway.cloud.qemu;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Warnings at start-up about what would make starts fail: no QEMU, a kernel or disk not built yet. Only warnings:
 * the files may well appear before the first request (a build running beside the gateway), and a start without them
 * fails with the same message. Blocking (file system): call from a worker thread.
 */
final class Preflight {

  private static final Logger LOG = LoggerFactory.getLogger(Preflight.class);

  private Preflight() {
  }

  static void warn(QemuSettings settings) {
    if (Executables.find(settings.qemu(), Executables.path()) == null) {
      LOG.warn("{} not found (apt-get install qemu-system-x86, or set provider.qemu): every start will fail", settings.qemu());
    }
    boolean disks = settings.resources().values().stream().anyMatch(spec -> !spec.bootsKernel());
    if (disks && Executables.find(settings.qemuImg(), Executables.path()) == null) {
      LOG.warn("{} not found (apt-get install qemu-utils, or set provider.qemuImg): disk resources cannot start", settings.qemuImg());
    }
    for (VmSpec spec : settings.resources().values()) {
      missing(spec, spec.kernel(), "kernel");
      missing(spec, spec.initrd(), "initrd");
      missing(spec, spec.disk(), "disk");
    }
  }

  private static void missing(VmSpec spec, Path file, String what) {
    if (file != null && !Files.isReadable(file)) {
      LOG.warn("The {} of resource '{}' is missing: {} (its starts fail until it exists)", what, spec.resource(), file);
    }
  }
}
