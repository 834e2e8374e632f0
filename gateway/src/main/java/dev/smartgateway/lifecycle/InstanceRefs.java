package dev.smartgateway.lifecycle;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's own names for instances ({@code ref}): known from an instance's first event on, before the
 * cloud gave it an id (or when it never does: a start refused outright), so that its events, its tasks and
 * its usage can be joined. Unique across restarts and gateways: a random prefix drawn at start-up and a
 * counter ({@code k3x9qa-17}).
 */
final class InstanceRefs {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String prefix;
  private final AtomicLong next = new AtomicLong();

  InstanceRefs() {
    StringBuilder b = new StringBuilder(6);
    for (int i = 0; i < 6; i++) {
      b.append(Character.forDigit(RANDOM.nextInt(36), 36));
    }
    this.prefix = b.toString();
  }

  String next() {
    return prefix + "-" + next.incrementAndGet();
  }
}
