package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.error.GatewayException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The status of a start as a person waiting for it sees it ({@link StartStatus}): the phase of the instance
 * a caller would be served by, how long it has been at it, the resource's usual cold start, and failures.
 *
 * <p>Reading a status changes nothing: no start, no lease, no idle clock touched, no entry created. A browser
 * tab left polling a status URL for days neither keeps a VM alive nor starts one.
 *
 * <p>Failed starts are remembered here on their own, because the pool that failed may be forgotten before the
 * page that waited for it asks again, and because some failures (the cloud unavailable, a start cancelled)
 * leave nothing on the pool at all. Each is kept for {@link #FAILURE_SHOWN} or until its start backoff ends,
 * whichever is later, and forgotten at once when a VM the caller could use becomes ready. Bounded:
 * {@value #FAILURES_PER_RESOURCE} failures per resource, and the resources that failed longest ago are forgotten
 * first past {@value #RESOURCES_KEPT}. Control context only.
 */
final class StartStatuses {

  static final Duration FAILURE_SHOWN = Duration.ofMinutes(2);
  static final int FAILURES_PER_RESOURCE = 8;
  static final int RESOURCES_KEPT = 10_000;

  private final Lifecycle core;
  final ColdStarts coldStarts;
  private final Map<String, ArrayDeque<Failed>> failures;

  private record Failed(GroupSet groups, GatewayException error, long elapsedMs, long failedNanos, long retryAtNanos,
                        long forgetAtNanos) {
  }

  StartStatuses(Lifecycle core, int maxResources) {
    this.core = core;
    this.coldStarts = new ColdStarts(maxResources);
    this.failures = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Failed>> eldest) {
        return size() > maxResources;
      }
    };
  }

  /**
   * A start failed (boot failure, start timeout, the cloud refusing, a start cancelled): what its waiters were
   * answered, with the Retry-After of the pool's backoff.
   */
  void failed(ManagedInstance mi, GatewayException answered) {
    long now = core.scheduler.nanoTime();
    Duration retryAfter = answered.retryAfter();
    long retryAt = retryAfter == null ? now : now + retryAfter.toNanos();
    long forgetAt = Math.max(now + FAILURE_SHOWN.toNanos(), retryAt);
    ArrayDeque<Failed> list = failures.remove(mi.resource);
    if (list == null) {
      list = new ArrayDeque<>(2);
    }
    list.removeIf(f -> f.groups.equals(mi.groups) || now - f.forgetAtNanos >= 0);
    list.addLast(new Failed(mi.groups, answered, (now - mi.createdNanos) / 1_000_000, now, retryAt, forgetAt));
    while (list.size() > FAILURES_PER_RESOURCE) {
      list.removeFirst();
    }
    failures.put(mi.resource, list);
  }

  /** A VM of the pool became ready: callers it can serve have nothing failed to see any more. */
  void recovered(Pool pool) {
    ArrayDeque<Failed> list = failures.get(pool.resource);
    if (list == null) {
      return;
    }
    list.removeIf(f -> f.groups.containsAll(pool.groups));
    if (list.isEmpty()) {
      failures.remove(pool.resource);
    }
  }

  StartStatus status(String resource, GroupSet groups) {
    long now = core.scheduler.nanoTime();
    Long typical = coldStarts.typicalMs(resource);
    if (core.closed) {
      return failure(resource, groups, Failures.shuttingDown(resource), 0, typical);
    }
    ResourceEntry entry = core.table.existing(resource);
    Pool pool = entry == null ? null : entry.usableFor(groups);
    ManagedInstance mi = pool == null ? null : pool.usable();
    if (mi != null) {
      return new StartStatus(resource, groups, phase(mi), elapsedMs(mi, now), typical, null, null);
    }
    Failed failed = lastFailure(resource, groups, now);
    if (failed != null) {
      Duration retryAfter = failed.error.retryAfter() == null ? null
          : Duration.ofNanos(Math.max(0, failed.retryAtNanos - now));
      return new StartStatus(resource, groups, StartPhase.FAILED, failed.elapsedMs, typical, failed.error, retryAfter);
    }
    if (core.unknown.isUnknown(resource, now)) {
      return failure(resource, groups, Failures.unknownResource(resource), 0, typical);
    }
    return StartStatus.none(resource, groups, typical);
  }

  private static StartStatus failure(String resource, GroupSet groups, GatewayException error, long elapsedMs,
                                     Long typical) {
    return new StartStatus(resource, groups, StartPhase.FAILED, elapsedMs, typical, error, error.retryAfter());
  }

  private static StartPhase phase(ManagedInstance mi) {
    if (mi.isLeasable()) {
      return StartPhase.READY;
    }
    return switch (mi.state()) {
      case STARTING -> mi.startAnsweredNanos < 0 ? StartPhase.STARTING : StartPhase.BOOTING;
      case SUSPENDED -> mi.resumeWanted ? StartPhase.WARMING : StartPhase.NONE; // paused: nothing starts until asked
      default -> StartPhase.WARMING; // WARMING, or a serving VM under suspicion while a probe checks it
    };
  }

  private static long elapsedMs(ManagedInstance mi, long now) {
    if (mi.state().isComingUp()) {
      long since = mi.resumedNanos >= 0 ? mi.resumedNanos : mi.createdNanos;
      return (now - since) / 1_000_000;
    }
    return mi.readyNanos < 0 ? 0 : (mi.readyNanos - mi.createdNanos) / 1_000_000;
  }

  /** The latest failure remembered of a pool whose VM this caller would have used (its groups within the caller's). */
  private Failed lastFailure(String resource, GroupSet groups, long now) {
    ArrayDeque<Failed> list = failures.get(resource);
    if (list == null) {
      return null;
    }
    Failed latest = null;
    for (Iterator<Failed> it = list.iterator(); it.hasNext(); ) {
      Failed f = it.next();
      if (now - f.forgetAtNanos >= 0) {
        it.remove();
      } else if (groups.containsAll(f.groups) && (latest == null || f.failedNanos - latest.failedNanos > 0)) {
        latest = f;
      }
    }
    if (list.isEmpty()) {
      failures.remove(resource);
    }
    return latest;
  }

  /** Resources with a failure remembered (for tests of the bound). */
  int failuresKept() {
    return failures.size();
  }
}
