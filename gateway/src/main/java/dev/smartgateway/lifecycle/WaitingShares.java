package dev.smartgateway.lifecycle;

import java.util.HashMap;
import java.util.Map;

/**
 * Clustered: {@code limits.maxWaitingTotal} counts the requests held by every member, not just this one. Each member
 * tells the others its count when it changes — at once if it has said nothing for {@link #REPORT_MS}, else once that
 * interval is over, so a burst costs a few messages, not one per request. What the others hold is summed here, so a
 * request's admission reads one field (no cluster call on the way in). Staleness is bounded: another member's count
 * is at most {@link #REPORT_MS} plus the cluster's delivery time old, so a burst spread over N members may overshoot
 * the bound by what they admit in that time. A member that leaves takes its share with it. Control context only.
 */
final class WaitingShares {

  /** The most a member's count seen elsewhere lags behind it (plus delivery). */
  static final long REPORT_MS = 100;

  private final Lifecycle core;
  private final Coordination cluster;
  private final Map<String, Integer> byMember = new HashMap<>();
  private int elsewhere;
  private int own;
  private int reported;
  private long lastReportNanos;
  private long timer = -1;

  WaitingShares(Lifecycle core, Coordination cluster) {
    this.core = core;
    this.cluster = cluster;
    this.lastReportNanos = core.scheduler.nanoTime() - REPORT_MS * 1_000_000;
  }

  /** Requests the other members hold (as last told). */
  int elsewhere() {
    return elsewhere;
  }

  /** This member's count changed. */
  void changed(int count) {
    own = count;
    if (timer >= 0) {
      return; // the report already due carries it
    }
    long sinceMs = (core.scheduler.nanoTime() - lastReportNanos) / 1_000_000;
    if (sinceMs >= REPORT_MS) {
      report();
    } else {
      timer = core.scheduler.schedule(REPORT_MS - sinceMs, () -> {
        timer = -1;
        report();
      });
    }
  }

  private void report() {
    if (own != reported) {
      reported = own;
      lastReportNanos = core.scheduler.nanoTime();
      cluster.reportWaiting(own);
    }
  }

  /** Another member's count. */
  void told(String member, int count) {
    if (member.equals(cluster.member()) || count > 0 && !cluster.members().contains(member)) {
      return; // this one's own, or a late word of a member that already left
    }
    Integer before = count == 0 ? byMember.remove(member) : byMember.put(member, count);
    elsewhere += count - (before == null ? 0 : before);
  }

  /** The member left: what it held is gone with it. */
  void left(String member) {
    Integer before = byMember.remove(member);
    if (before != null) {
      elsewhere -= before;
    }
  }
}
