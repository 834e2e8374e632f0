package dev.smartgateway.cloud.qemu;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the machine offers QEMU: KVM. Blocking (opens device files, reads /proc): call from a worker thread. */
final class HostProbe {

  private static final Path KVM_DEVICE = Path.of("/dev/kvm");
  private static final Path CPUINFO = Path.of("/proc/cpuinfo");

  private HostProbe() {
  }

  /** The accelerator {@code configured} comes to on this machine (see {@link Accel#choose}). */
  static Accel accel(Accel configured) {
    if (configured != Accel.AUTO) {
      return configured;
    }
    return configured.choose(kvmOpenable(), cpuinfo());
  }

  /** Whether {@code /dev/kvm} can be opened read-write: it exists, and this user may use it. */
  static boolean kvmOpenable() {
    if (!Files.exists(KVM_DEVICE)) {
      return false;
    }
    try (RandomAccessFile device = new RandomAccessFile(KVM_DEVICE.toFile(), "rw")) {
      return true;
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  private static String cpuinfo() {
    try {
      return Files.readString(CPUINFO);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
