package dev.smartgateway.cache;

import dev.smartgateway.config.CacheSettings;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's response caches, one per resource ({@code cache.maxBytes} is per resource), and the fetches under way
 * that concurrent misses wait for. Shared by every event loop.
 *
 * <p>A resource's cache is made by its first stored answer, so only resources a VM answered have one (made-up names
 * cost nothing); it is made anew, empty, when the resource's {@code maxBytes} changes (admin API).
 */
public final class ResponseCaches {

  private final ConcurrentHashMap<String, ResourceCache> caches = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<FlightKey, Flight> flights = new ConcurrentHashMap<>();

  /**
   * What concurrent misses wait on together: one resource's URL and, once its answers' {@code Vary} is known, the
   * request's variant; {@code variant} is null while it is not (then the first answer tells).
   */
  public record FlightKey(String resource, CacheKey key, String variant) {
  }

  /** A request's place in a flight: its leader, or one of its waiters. */
  public record Turn(Flight flight, boolean leader) {
  }

  /** The resource's cache, or null if nothing was stored yet (or since its bounds changed). */
  public ResourceCache find(String resource, CacheSettings settings) {
    ResourceCache cache = caches.get(resource);
    return cache != null && cache.settings().maxBytes() == settings.maxBytes() ? cache : null;
  }

  /** The resource's cache for storing: made if there is none, or anew if its bounds changed. */
  public ResourceCache forStoring(String resource, CacheSettings settings) {
    return caches.compute(resource, (r, cache) ->
        cache != null && cache.settings().maxBytes() == settings.maxBytes() ? cache : new ResourceCache(settings));
  }

  /**
   * The request's place in the flight for {@code key}: the leader of a new one, a waiter on the one under way, or
   * null when that one already has {@code maxWaiters} waiters (the request then goes to the VM by itself).
   */
  public Turn board(FlightKey key, int maxWaiters) {
    while (true) {
      Flight[] made = new Flight[1];
      Flight flight = flights.computeIfAbsent(key, k -> made[0] = new Flight(maxWaiters, () -> flights.remove(k, made[0])));
      if (flight == made[0]) {
        return new Turn(flight, true);
      }
      if (flight.done().isComplete()) {
        flights.remove(key, flight); // settled a moment ago: its removal is on its way; don't wait for it
        continue;
      }
      return flight.board() ? new Turn(flight, false) : null;
    }
  }

  /** Fetches under way (tests: none is left behind). */
  public int flights() {
    return flights.size();
  }

  /** Requests waiting for a fetch under way. */
  public int waiting() {
    int sum = 0;
    for (Flight flight : flights.values()) {
      sum += flight.waiters();
    }
    return sum;
  }

  /** Bytes held by every resource's cache. */
  public long storedBytes() {
    long sum = 0;
    for (ResourceCache cache : caches.values()) {
      sum += cache.weightedBytes();
    }
    return sum;
  }
}
