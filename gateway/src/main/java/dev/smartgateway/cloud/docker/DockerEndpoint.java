package dev.smartgateway.cloud.docker;

import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

import java.net.URI;
import java.util.Locale;

/**
 * Where the Docker Engine API listens: a unix domain socket (Docker's default, and how Podman's Docker-compatible
 * API is reached) or a plain TCP address. Vert.x's NIO transport speaks unix domain sockets on JDK 16+, so no
 * native transport is needed.
 *
 * @param socket the socket's path, or null for TCP
 * @param host   the TCP host, or null for a socket
 * @param port   the TCP port
 */
record DockerEndpoint(String socket, String host, int port) {

  static final String DEFAULT_SOCKET = "/var/run/docker.sock";

  static DockerEndpoint socket(String path) {
    return new DockerEndpoint(path, null, 0);
  }

  static DockerEndpoint tcp(String host, int port) {
    return new DockerEndpoint(null, host, port);
  }

  /**
   * Parses the forms Docker's own {@code DOCKER_HOST} takes: {@code unix:///path} or {@code tcp://host:port}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static DockerEndpoint parse(String url) {
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + url + "' is not a URL (use tcp://127.0.0.1:2375 or unix:///var/run/docker.sock)");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "unix" -> {
        if (uri.getPath() == null || uri.getPath().isEmpty()) {
          throw new IllegalArgumentException("'" + url + "' names no socket (use unix:///var/run/docker.sock)");
        }
        return socket(uri.getPath());
      }
      case "tcp", "http" -> {
        if (uri.getHost() == null || uri.getPort() < 0) {
          throw new IllegalArgumentException("'" + url + "' needs a host and a port (use tcp://127.0.0.1:2375)");
        }
        return tcp(uri.getHost(), uri.getPort());
      }
      case "https" -> throw new IllegalArgumentException("TLS to the Docker API is not supported ('" + url
          + "'); use the unix socket or a TCP address on a trusted network");
      default -> throw new IllegalArgumentException("'" + url + "': expected tcp://host:port or unix:///path");
    }
  }

  boolean isSocket() {
    return socket != null;
  }

  /** A request to this endpoint; the Host header is what the daemon expects from any client on a socket. */
  RequestOptions request() {
    RequestOptions options = new RequestOptions();
    if (isSocket()) {
      options.setServer(SocketAddress.domainSocketAddress(socket)).setHost("localhost").setPort(80);
    } else {
      options.setHost(host).setPort(port);
    }
    return options;
  }

  @Override
  public String toString() {
    return isSocket() ? "unix://" + socket : "tcp://" + host + ":" + port;
  }
}
