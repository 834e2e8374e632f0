package dev.smartgateway.cloud.qemu;

import java.util.ArrayList;
import java.util.List;

/**
 * The command lines the adapter runs: {@code qemu-img} for an overlay, and QEMU itself. Pure: what the machine has is
 * decided elsewhere (the accelerator, the port).
 */
final class QemuCommand {

  /** The fw_cfg entry a disk-booted guest can read its instance id from (kernel guests also get sg.instance=). */
  static final String FW_CFG_INSTANCE = "opt/dev.smartgateway/instance";

  private QemuCommand() {
  }

  /** {@code qemu-img create}: a qcow2 overlay backed by the spec's disk, which stays untouched. */
  static List<String> overlay(String qemuImg, VmSpec spec, VmPaths paths) {
    return List.of(qemuImg, "create", "-q", "-f", "qcow2",
        "-b", spec.disk().toAbsolutePath().normalize().toString(), "-F", spec.diskFormat(),
        paths.overlay().toString());
  }

  /**
   * QEMU for one instance. It daemonizes once it is set up (so it outlives the gateway, for the next one to adopt,
   * and its exit status tells whether the set-up worked: a taken port, a missing file), writes its pid file, serves
   * QMP on the instance's socket, sends the serial console to a file (appending, so that the adapter may truncate it
   * to keep it bounded) and forwards {@code host:port} on the host to the guest's port.
   */
  static List<String> vm(String qemu, VmSpec spec, VmPaths paths, String id, Accel accel, String host, int port) {
    List<String> cmd = new ArrayList<>();
    cmd.add(qemu);
    cmd.addAll(List.of("-name", id));
    cmd.addAll(List.of("-machine", spec.machine()));
    cmd.addAll(List.of("-accel", accel.qemuName()));
    if (accel == Accel.KVM) {
      cmd.addAll(List.of("-cpu", "host"));
    }
    cmd.addAll(List.of("-m", spec.memoryMb() + "M", "-smp", Integer.toString(spec.cpus())));
    // No default devices, no display, no reboot: a guest that reboots ends its QEMU, which the adapter reports.
    cmd.addAll(List.of("-nodefaults", "-no-user-config", "-display", "none", "-no-reboot"));
    if (spec.bootsKernel()) {
      cmd.addAll(List.of("-kernel", spec.kernel().toAbsolutePath().normalize().toString()));
      if (spec.initrd() != null) {
        cmd.addAll(List.of("-initrd", spec.initrd().toAbsolutePath().normalize().toString()));
      }
      cmd.addAll(List.of("-append", kernelCommandLine(spec, id)));
    } else {
      cmd.addAll(List.of("-drive", "file=" + option(paths.overlay()) + ",format=qcow2,if=virtio"));
    }
    cmd.addAll(List.of("-fw_cfg", "name=" + FW_CFG_INSTANCE + ",string=" + id));
    cmd.addAll(List.of("-netdev", "user,id=n0,hostfwd=tcp:" + host + ":" + port + "-:" + spec.guestPort()));
    // romfile=: no iPXE option ROM; nothing boots from the network, and loading it costs a second under TCG.
    cmd.addAll(List.of("-device", "virtio-net-pci,netdev=n0,romfile="));
    cmd.addAll(List.of("-chardev", "file,id=console,path=" + option(paths.console()) + ",append=on", "-serial", "chardev:console"));
    cmd.addAll(List.of("-qmp", "unix:" + option(paths.qmp()) + ",server=on,wait=off"));
    cmd.addAll(List.of("-pidfile", paths.pid().toString(), "-daemonize"));
    cmd.addAll(spec.extraArgs());
    return cmd;
  }

  /** A value inside QEMU's {@code key=value,...} options, where a comma is written twice. */
  static String option(Object value) {
    return value.toString().replace(",", ",,");
  }

  /**
   * The console on the first serial port (the adapter copies it into the log), a panic that halts rather than
   * reboots, the instance id for the guest to read from {@code /proc/cmdline}, then the configured rest.
   */
  static String kernelCommandLine(VmSpec spec, String id) {
    String line = "console=ttyS0 panic=-1 sg.instance=" + id + " sg.resource=" + spec.resource();
    return spec.append().isBlank() ? line : line + " " + spec.append().strip();
  }
}
