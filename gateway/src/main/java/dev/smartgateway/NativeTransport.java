package dev.smartgateway;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which of Netty's transports carries the gateway's connections. The native one (epoll, shipped for Linux x86-64)
 * reads and writes sockets with fewer copies and system calls than the JDK's NIO selector; the warm path spends most
 * of its time in exactly that (bench/README.md, "What each change bought"). Where it does not load (another OS or
 * CPU, a missing glibc), Vert.x falls back to NIO by itself and the gateway works the same: one line on the
 * operational log says which is in use, and why not the native one.
 */
final class NativeTransport {

  private static final Logger log = LoggerFactory.getLogger(NativeTransport.class);

  private NativeTransport() {
  }

  /** Asks for the native transport; Vert.x uses it if it can load it, NIO otherwise. */
  static VertxOptions prefer(VertxOptions options) {
    return options.setPreferNativeTransport(true);
  }

  /** Says which transport {@code vertx} runs on. */
  static void logInUse(Vertx vertx) {
    if (vertx.isNativeTransportEnabled()) {
      log.info("transport: native (epoll)");
    } else {
      Throwable cause = vertx.unavailableNativeTransportCause();
      log.info("transport: NIO (the native transport is not available here: {})",
          cause == null ? "not found" : cause.toString());
    }
  }
}
