package dev.smartgateway.cloud.qemu;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccelTest {

  private static final String INTEL = """
      processor\t: 0
      vendor_id\t: GenuineIntel
      flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr vmx smx est tm2 ssse3
      """;
  private static final String AMD = "processor\t: 0\nflags\t\t: fpu vme de pse svm extapic cr8_legacy\n";
  /** A guest CPU of a cloud VM without nested virtualisation: /dev/kvm may exist, the flags do not. */
  private static final String NO_VIRTUALISATION = "processor\t: 0\nflags\t\t: fpu vme de pse tsc msr hypervisor\n"
      + "vmx flags\t: vnmi preemption_timer\n";

  @Test
  void autoTakesKvmWhenTheDeviceOpensAndTheCpuHasVmxOrSvm() {
    assertThat(Accel.AUTO.choose(true, INTEL)).isEqualTo(Accel.KVM);
    assertThat(Accel.AUTO.choose(true, AMD)).isEqualTo(Accel.KVM);
  }

  @Test
  void autoTakesTcgWithADeviceButNoCpuSupportWhereKvmWouldFailWithAnInternalError() {
    assertThat(Accel.AUTO.choose(true, NO_VIRTUALISATION)).isEqualTo(Accel.TCG);
    assertThat(Accel.AUTO.choose(true, "")).isEqualTo(Accel.TCG);
  }

  @Test
  void autoTakesTcgWhenTheDeviceCannotBeOpened() {
    assertThat(Accel.AUTO.choose(false, INTEL)).isEqualTo(Accel.TCG);
  }

  @Test
  void anExplicitChoiceIsTakenAsConfigured() {
    assertThat(Accel.KVM.choose(false, "")).isEqualTo(Accel.KVM);
    assertThat(Accel.TCG.choose(true, INTEL)).isEqualTo(Accel.TCG);
  }

  @Test
  void namesAreReadInAnyCaseAndWrittenAsQemuWantsThem() {
    assertThat(Accel.parse("KVM")).isEqualTo(Accel.KVM);
    assertThat(Accel.parse("tcg").qemuName()).isEqualTo("tcg");
    assertThatThrownBy(() -> Accel.parse("hax")).hasMessageContaining("expected auto, kvm or tcg");
  }

  @Test
  void thisMachineGetsWhatItsDeviceAndCpuAllow() {
    Accel chosen = HostProbe.accel(Accel.AUTO);

    assertThat(chosen).isEqualTo(Accel.AUTO.choose(HostProbe.kvmOpenable(), cpuinfo()));
  }

  private static String cpuinfo() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/cpuinfo"));
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
