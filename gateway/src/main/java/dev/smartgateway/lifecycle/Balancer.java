package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.config.ResourceSettings.Balancing;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Which ready VM a warm request goes to (DESIGN section 6, balancing): among the resource's instances this caller
 * may use that take a lease and whose pool holds no request (held ones go first), either the one with the fewest
 * requests in flight — scanned from a random start, so that ties spread instead of piling on the first — or
 * each in turn. Pools are small (maxInstances), so an exact scan is cheaper than sampling and balances better
 * than two random choices. Any thread, lock-free.
 */
final class Balancer {

  private Balancer() {
  }

  /** The VM for a warm request, or null: {@code limit} is the resource's maxConcurrency (a VM at it is full). */
  static ManagedInstance pick(ResourceEntry entry, GroupSet groups, Balancing balancing, int limit) {
    ManagedInstance[] all = entry.instances;
    int n = all.length;
    if (n == 0) {
      return null;
    }
    int start = n == 1 ? 0
        : balancing == Balancing.ROUND_ROBIN ? Math.floorMod(entry.turn.getAndIncrement(), n)
        : ThreadLocalRandom.current().nextInt(n);
    ManagedInstance best = null;
    int bestLoad = Integer.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      ManagedInstance mi = all[(start + i) % n];
      if (mi.pool.backlog() == 0 && mi.isLeasable() && mi.inFlight() < limit && groups.containsAll(mi.groups)) {
        if (balancing == Balancing.ROUND_ROBIN) {
          return mi;
        }
        int load = mi.inFlight();
        if (load < bestLoad) {
          best = mi;
          bestLoad = load;
        }
      }
    }
    return best;
  }
}
