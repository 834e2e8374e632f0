package dev.smartgateway.admin;

import dev.smartgateway.access.GroupSet;

import java.util.Objects;

/**
 * Where the gateway's public listener is, as the admin side reaches it: the fan-out sends its requests
 * through the public listener rather than into the lifecycle directly, so that they are held, start VMs, are
 * access-logged and limited exactly like anyone's.
 *
 * @param host   the listener's bind address; a wildcard ({@code 0.0.0.0}, {@code ::}) is not an address one
 *               can connect to, so {@link #connectHost()} turns it into the loopback address of its family
 * @param port   the listener's actual port
 * @param prefix the first path segment of virtual URLs ({@code server.prefix})
 * @param tls    the listener speaks TLS ({@code server.tls}): the fan-out connects with TLS too
 */
public record PublicEndpoint(String host, int port, String prefix, boolean tls) {

  /** A cleartext listener. */
  public PublicEndpoint(String host, int port, String prefix) {
    this(host, port, prefix, false);
  }

  public PublicEndpoint {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(prefix, "prefix");
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be within 1..65535, was " + port);
    }
  }

  /** The address to connect to: the bind address, or loopback for a wildcard bind. */
  public String connectHost() {
    return switch (host) {
      case "0.0.0.0", "" -> "127.0.0.1";
      case "::", "[::]", "::0" -> "::1";
      default -> host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    };
  }

  /**
   * The virtual URL of {@code resource} for {@code groups}: {@code /{prefix}/{resource}/{groups}{path}}.
   *
   * @param path starts with {@code /} and may carry a query; it is appended as it is (the gateway forwards it
   *             byte for byte)
   */
  public String uri(String resource, GroupSet groups, String path) {
    return "/" + prefix + "/" + resource + "/" + groups + path;
  }
}
