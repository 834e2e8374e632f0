package dev.smartgateway.cloud.qemu;

import java.nio.file.Path;
import java.util.List;

/**
 * The files of one VM in the state directory, all named after its id: the record the next gateway adopts it from
 * ({@code .json}), QEMU's QMP socket ({@code .qmp}) and pid file ({@code .pid}), the serial console
 * ({@code .console}), for a disk image the copy-on-write overlay ({@code .qcow2}), and what QEMU said while it set
 * up ({@code .launch}, read and deleted once it daemonized).
 */
record VmPaths(Path record, Path qmp, Path pid, Path console, Path overlay, Path launch) {

  /** A unix socket's path is at most this long (sun_path is 108 bytes with its terminating NUL). */
  static final int MAX_SOCKET_PATH = 107;

  static VmPaths of(Path stateDir, String id) {
    Path dir = stateDir.toAbsolutePath().normalize();
    return new VmPaths(dir.resolve(id + ".json"), dir.resolve(id + ".qmp"), dir.resolve(id + ".pid"),
        dir.resolve(id + ".console"), dir.resolve(id + ".qcow2"), dir.resolve(id + ".launch"));
  }

  /** Everything to delete once the VM is gone. */
  List<Path> all() {
    return List.of(record, qmp, pid, console, overlay, launch);
  }
}
