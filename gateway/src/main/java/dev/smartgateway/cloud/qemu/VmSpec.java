package dev.smartgateway.cloud.qemu;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to run one resource: the parsed {@code provider.resources.<id>} section. Either a kernel (with an optional
 * initrd) or a disk image; with a disk, every instance boots from a copy-on-write overlay of it, so the image itself
 * is never written.
 *
 * @param resource    the resource id
 * @param kernel      the kernel to boot directly, or null with a disk
 * @param initrd      its initramfs, or null
 * @param append      extra kernel command line (the adapter adds the console and {@code sg.instance=<id>})
 * @param disk        the base disk image, or null with a kernel
 * @param diskFormat  the base image's format ({@code qcow2}, {@code raw}, ...): the overlay's backing format
 * @param memoryMb    guest memory in MiB
 * @param cpus        virtual CPUs
 * @param guestPort   the port the guest serves HTTP on; forwarded from a free loopback port per instance
 * @param machine     the QEMU machine type
 * @param stopTimeout how long the guest may take to power off after the ACPI power button before it is ended
 * @param extraArgs   more QEMU arguments, appended as they are
 */
record VmSpec(String resource, Path kernel, Path initrd, String append, Path disk, String diskFormat, int memoryMb,
              int cpus, int guestPort, String machine, Duration stopTimeout, List<String> extraArgs) {

  static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

  VmSpec {
    extraArgs = List.copyOf(extraArgs);
  }

  boolean bootsKernel() {
    return kernel != null;
  }
}
