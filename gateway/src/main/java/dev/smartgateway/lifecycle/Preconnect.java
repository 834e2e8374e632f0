package dev.smartgateway.lifecycle;

import dev.smartgateway.config.ResourceSettings;

/**
 * Opens connections to a VM that is about to serve, so that the first held requests released to it find them
 * open instead of each paying a connect (bench: the first forwards to a fresh VM were most of the wake-up time).
 * Called on the control context as the readiness probe starts; it must not block, and it never fails: a
 * connection that cannot be opened is simply not there, and the request opens its own as it would anyway.
 */
@FunctionalInterface
public interface Preconnect {

  Preconnect NONE = (host, port, settings, count) -> { };

  /** Opens up to {@code count} connections to {@code host:port}, in all, for requests of that resource. */
  void open(String host, int port, ResourceSettings settings, int count);
}
