package dev.smartgateway.access;

import dev.smartgateway.config.AccessConfig;
import dev.smartgateway.config.AccessConfig.TrustMode;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * In {@code access.groups: url} mode the groups of a virtual URL are believed as the URL asserts them: fine on
 * loopback or behind a front proxy that alone reaches the gateway, an open door on a listener others can
 * reach. A gateway in that mode that listens beyond loopback says so once at start-up (DESIGN section 4).
 */
public final class ListenerExposure {

  private ListenerExposure() {
  }

  /** The warning to log for this listener, if any. */
  public static Optional<String> warning(AccessConfig access, String host, int port) {
    if (access.groups() != TrustMode.URL || isLoopbackOnly(host)) {
      return Optional.empty();
    }
    String where = port == 0 ? "the gateway's port" : "port " + port;
    return Optional.of("access.groups is url and the listener binds " + host + ", not loopback only: the groups in"
        + " a virtual URL are trusted as asserted, so anyone who can reach " + where + " can claim any group."
        + " Bind server.host to 127.0.0.1, or let only a trusted front proxy reach the gateway");
  }

  /** True for {@code localhost} and loopback IP literals (127.0.0.0/8, ::1); false for anything else, names included. */
  public static boolean isLoopbackOnly(String host) {
    String h = host.trim();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.toLowerCase(Locale.ROOT).equals("localhost")) {
      return true;
    }
    if (!NetUtil.isValidIpV4Address(h) && !NetUtil.isValidIpV6Address(h)) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress(); // a literal: no name lookup
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
