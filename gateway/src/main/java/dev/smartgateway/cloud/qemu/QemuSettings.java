package dev.smartgateway.cloud.qemu;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The parsed {@code provider} section of a {@code qemu} provider.
 *
 * @param qemu        the emulator ({@code qemu-system-x86_64}: a name looked up on the PATH, or a path)
 * @param qemuImg     {@code qemu-img}, which makes each disk instance's copy-on-write overlay
 * @param stateDir    where each VM's record, QMP socket, pid file, console log and overlay live
 * @param host        the loopback address the host-forward binds and the gateway connects to
 * @param accel       how guests are run (see {@link Accel})
 * @param onShutdown  what {@code close()} does with running VMs
 * @param forgetAfter how long a stopped or failed VM stays visible to {@code describe} and {@code list}
 * @param resources   how to run each resource, by id
 */
record QemuSettings(String qemu, String qemuImg, Path stateDir, String host, Accel accel, OnShutdown onShutdown,
                    Duration forgetAfter, Map<String, VmSpec> resources) {

  QemuSettings {
    resources = Map.copyOf(resources);
  }

  enum OnShutdown {
    /** Leave VMs running: the next gateway with the same id adopts them from their records. */
    LEAVE,
    /** Power every VM of this provider off (each bounded by its stopTimeout, then killed). */
    STOP
  }
}
