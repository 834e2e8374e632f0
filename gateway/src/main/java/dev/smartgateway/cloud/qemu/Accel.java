package dev.smartgateway.cloud.qemu;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How QEMU runs guests: {@link #KVM} (hardware virtualisation), {@link #TCG} (QEMU's own translator: slower, works
 * everywhere), or {@link #AUTO}, which picks KVM only where it can work.
 */
enum Accel {
  AUTO, KVM, TCG;

  /** A CPU flag of Intel VT-x or AMD-V in {@code /proc/cpuinfo}. */
  private static final Pattern VIRTUALISATION_FLAG = Pattern.compile("(?m)^flags\\s*:.*\\b(vmx|svm)\\b");

  static Accel parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "auto" -> AUTO;
      case "kvm" -> KVM;
      case "tcg" -> TCG;
      default -> throw new IllegalArgumentException("expected auto, kvm or tcg, got '" + text + "'");
    };
  }

  /**
   * The accelerator to run with. {@code auto} takes KVM only when {@code /dev/kvm} can be opened <em>and</em> the
   * CPU reports vmx or svm: a machine can have the device without the CPU support (nested virtualisation switched
   * off), and QEMU then starts but the guest dies with "KVM internal error". {@code kvm} and {@code tcg} are taken as
   * configured (a KVM that cannot work is then QEMU's error, reported at the first start).
   *
   * @param kvmOpenable whether {@code /dev/kvm} could be opened for reading and writing
   * @param cpuinfo     the text of {@code /proc/cpuinfo} ("" if unreadable)
   */
  Accel choose(boolean kvmOpenable, String cpuinfo) {
    if (this != AUTO) {
      return this;
    }
    return kvmOpenable && VIRTUALISATION_FLAG.matcher(cpuinfo).find() ? KVM : TCG;
  }

  /** The name QEMU's {@code -accel} takes. */
  String qemuName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
