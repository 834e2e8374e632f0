package dev.smartgateway.cloud.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks a port for a container. Blocking (binds a socket): call from a worker thread. */
final class FreePort {

  private FreePort() {
  }

  /**
   * A port the kernel considered free a moment ago. Between closing our socket and the container binding it,
   * anything else may take it: the container then exits ("address in use") and is reported FAILED with that last
   * line of its log; the gateway's next start picks another port.
   */
  static int pick(String host) {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + host, e);
    }
  }
}
