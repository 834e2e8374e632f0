package dev.smartgateway.cloud;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Picks a loopback port for an instance an adapter runs on this machine (a child process, a container, a QEMU
 * host-forward). Blocking (binds a socket): call from a worker thread.
 */
public final class FreePort {

  private FreePort() {
  }

  /**
   * A port the kernel considered free a moment ago. There is a race: between closing our socket and the
   * instance binding, anything else may take the port; the instance then fails with "address already in use",
   * and the adapter relaunches it on a fresh port (process) or reports it FAILED (docker).
   */
  public static int pick(String host) {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + host, e);
    }
  }
}
