package dev.smartgateway.lifecycle;

/**
 * Clustered: reports, at most once per {@code cluster.activityReport} per instance, that this member used an
 * instance another member manages: it sent a request there since the last report, or one is still running (a long
 * response, an open WebSocket). The manager's idle clock counts the reports (a request elsewhere is activity as
 * much as one there). A tick reads the mirrors' own activity clocks, so the warm path pays nothing for it. Control
 * context only.
 */
final class ActivityReports {

  private final Lifecycle core;
  private final ClusterSync sync;
  private long timer = -1;

  ActivityReports(Lifecycle core, ClusterSync sync) {
    this.core = core;
    this.sync = sync;
  }

  void start() {
    if (timer < 0) {
      timer = core.scheduler.schedule(sync.cluster.activityReportMillis(), this::tick);
    }
  }

  private void tick() {
    timer = -1;
    if (core.closed) {
      return;
    }
    for (ManagedInstance mi : sync.mirrors.all()) {
      long last = mi.lastActivityNanos();
      if (mi.shared != null && (mi.inFlight() > 0 || last != mi.reportedActivityNanos)) {
        mi.reportedActivityNanos = last;
        sync.cluster.reportActivity(mi.shared.key());
      }
    }
    start();
  }

  /** How long a drain waits for other members' reports before it may end: two report intervals. */
  long drainGraceMillis() {
    return 2 * sync.cluster.activityReportMillis();
  }
}
