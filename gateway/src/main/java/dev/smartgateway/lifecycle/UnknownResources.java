package dev.smartgateway.lifecycle;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resources the cloud said it does not know, remembered for a while so that a client (or an attacker)
 * asking again gets its 404 without a cloud call. Bounded: the oldest names are forgotten first, so
 * spraying names costs the gateway a fixed amount of memory. Control context only.
 */
final class UnknownResources {

  private final long ttlNanos;
  private final Map<String, Long> expiries;

  UnknownResources(long ttlNanos, int maxKept) {
    this.ttlNanos = ttlNanos;
    this.expiries = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
        return size() > maxKept;
      }
    };
  }

  void remember(String resource, long nowNanos) {
    if (ttlNanos > 0) {
      expiries.remove(resource);
      expiries.put(resource, nowNanos + ttlNanos);
    }
  }

  boolean isUnknown(String resource, long nowNanos) {
    Long expiry = expiries.get(resource);
    if (expiry == null) {
      return false;
    }
    if (nowNanos - expiry >= 0) {
      expiries.remove(resource);
      return false;
    }
    return true;
  }

  int size() {
    return expiries.size();
  }
}
