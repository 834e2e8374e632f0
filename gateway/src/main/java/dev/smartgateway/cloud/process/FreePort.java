package dev.smartgateway.cloud.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks a port for a child. Blocking (binds a socket): call from a worker thread. */
final class FreePort {

  private FreePort() {
  }

  /**
   * A port the kernel considered free a moment ago. There is a race: between closing our socket and the
   * child binding, anything else may take the port. The child then dies saying "address already in use",
   * and the provider relaunches it on a fresh port rather than failing the start.
   */
  static int pick(String host) {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + host, e);
    }
  }
}
