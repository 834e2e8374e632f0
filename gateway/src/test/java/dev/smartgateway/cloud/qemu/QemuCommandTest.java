package dev.smartgateway.cloud.qemu;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class QemuCommandTest {

  private static final Path STATE = Path.of("/var/tmp/sgq");
  private static final VmPaths PATHS = VmPaths.of(STATE, "sg-demo-0000abcd");

  private static VmSpec kernelSpec() {
    return new VmSpec("demo", Path.of("/img/vmlinuz"), Path.of("/img/initrd.gz"), "quiet", null, "qcow2", 128, 2, 8080,
        "q35", Duration.ofSeconds(5), List.of("-rtc", "base=utc"));
  }

  @Test
  void aKernelVmBootsTheKernelWithTheInstanceIdOnItsCommandLineAndForwardsALoopbackPortToTheGuest() {
    List<String> cmd = QemuCommand.vm("qemu-system-x86_64", kernelSpec(), PATHS, "sg-demo-0000abcd", Accel.TCG,
        "127.0.0.1", 41234);

    assertThat(cmd.get(0)).isEqualTo("qemu-system-x86_64");
    assertThat(cmd).containsSubsequence("-name", "sg-demo-0000abcd")
        .containsSubsequence("-machine", "q35")
        .containsSubsequence("-accel", "tcg")
        .containsSubsequence("-m", "128M", "-smp", "2")
        .containsSubsequence("-kernel", "/img/vmlinuz", "-initrd", "/img/initrd.gz")
        .containsSubsequence("-append", "console=ttyS0 panic=-1 sg.instance=sg-demo-0000abcd sg.resource=demo quiet")
        .containsSubsequence("-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:41234-:8080")
        .containsSubsequence("-device", "virtio-net-pci,netdev=n0,romfile=")
        .containsSubsequence("-chardev", "file,id=console,path=/var/tmp/sgq/sg-demo-0000abcd.console,append=on",
            "-serial", "chardev:console")
        .containsSubsequence("-qmp", "unix:/var/tmp/sgq/sg-demo-0000abcd.qmp,server=on,wait=off")
        .containsSubsequence("-pidfile", "/var/tmp/sgq/sg-demo-0000abcd.pid", "-daemonize")
        .contains("-nodefaults", "-no-reboot")
        .doesNotContain("-cpu", "-drive");
    assertThat(cmd.subList(cmd.size() - 2, cmd.size())).as("extra arguments come last").containsExactly("-rtc", "base=utc");
  }

  @Test
  void withKvmTheGuestGetsTheHostsCpu() {
    List<String> cmd = QemuCommand.vm("qemu-system-x86_64", kernelSpec(), PATHS, "sg-demo-0000abcd", Accel.KVM,
        "127.0.0.1", 41234);

    assertThat(cmd).containsSubsequence("-accel", "kvm").containsSubsequence("-cpu", "host");
  }

  @Test
  void aDiskVmBootsFromItsOwnOverlayWhichQemuImgBacksWithTheUntouchedImage() {
    VmSpec disk = new VmSpec("wiki", null, null, "", Path.of("/img/wiki.raw"), "raw", 256, 1, 80, "q35",
        Duration.ofSeconds(30), List.of());
    VmPaths paths = VmPaths.of(STATE, "sg-wiki-12345678");

    List<String> cmd = QemuCommand.vm("qemu-system-x86_64", disk, paths, "sg-wiki-12345678", Accel.TCG, "127.0.0.1", 40000);
    List<String> overlay = QemuCommand.overlay("qemu-img", disk, paths);

    assertThat(cmd).containsSubsequence("-drive", "file=/var/tmp/sgq/sg-wiki-12345678.qcow2,format=qcow2,if=virtio")
        .containsSubsequence("-fw_cfg", "name=opt/dev.smartgateway/instance,string=sg-wiki-12345678")
        .doesNotContain("-kernel", "-initrd", "-append");
    assertThat(overlay).containsExactly("qemu-img", "create", "-q", "-f", "qcow2", "-b", "/img/wiki.raw", "-F", "raw",
        "/var/tmp/sgq/sg-wiki-12345678.qcow2");
  }

  @Test
  void commasInPathsAreDoubledWhereQemuReadsKeyValueOptions() {
    VmPaths paths = VmPaths.of(Path.of("/tmp/a,b"), "sg-demo-0000abcd");

    List<String> cmd = QemuCommand.vm("qemu-system-x86_64", kernelSpec(), paths, "sg-demo-0000abcd", Accel.TCG,
        "127.0.0.1", 41234);

    assertThat(cmd).contains("unix:/tmp/a,,b/sg-demo-0000abcd.qmp,server=on,wait=off")
        .contains("-pidfile", "/tmp/a,b/sg-demo-0000abcd.pid");
  }

  @Test
  void withoutExtraKernelArgumentsTheCommandLineIsTheAdaptersOwn() {
    VmSpec plain = new VmSpec("demo", Path.of("/k"), null, "  ", null, "qcow2", 128, 1, 80, "q35",
        Duration.ofSeconds(30), List.of());

    assertThat(QemuCommand.kernelCommandLine(plain, "sg-demo-1"))
        .isEqualTo("console=ttyS0 panic=-1 sg.instance=sg-demo-1 sg.resource=demo");
  }
}
