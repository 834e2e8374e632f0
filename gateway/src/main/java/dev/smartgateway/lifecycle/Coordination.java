package dev.smartgateway.lifecycle;

import io.vertx.core.Future;

import java.util.List;
import java.util.Set;

/**
 * The cluster as the lifecycle sees it (DESIGN section 10): a registry of shared instances with an atomic claim per
 * key (one start per pool place, however many members ask at once), a broadcast of activity, each member's count of
 * held requests, and news of members that left. {@link #NONE} is a gateway on its own: the lifecycle then never calls anything else here, and runs
 * exactly as it does unclustered. Futures may complete on any thread; so may the {@link Listener}'s calls.
 */
public interface Coordination {

  /** Not clustered. */
  Coordination NONE = new Coordination() {
    @Override
    public boolean clustered() {
      return false;
    }

    @Override
    public String member() {
      return "local";
    }
  };

  boolean clustered();

  /** This member's id in the cluster. */
  String member();

  /** The live members' ids, this one included. */
  default Set<String> members() {
    return Set.of(member());
  }

  /** Writes {@code wanted} if its key is free: null then; otherwise the record that holds the key. */
  default Future<SharedInstance> claim(SharedInstance wanted) {
    return Future.succeededFuture();
  }

  /** Writes a record its manager changed (only the manager writes; its writes are in order). */
  default Future<Void> put(SharedInstance record) {
    return Future.succeededFuture();
  }

  /** Removes the record if it is still exactly {@code last}. */
  default Future<Void> remove(SharedInstance last) {
    return Future.succeededFuture();
  }

  /** Replaces {@code from} by {@code to} if it is still exactly {@code from}: true if this call did it. */
  default Future<Boolean> replace(SharedInstance from, SharedInstance to) {
    return Future.succeededFuture(false);
  }

  /** How many records there are now (every instance of the cluster: starting, serving or leaving). */
  default Future<Integer> count() {
    return all().map(List::size);
  }

  /** Every record now. */
  default Future<List<SharedInstance>> all() {
    return Future.succeededFuture(List.of());
  }

  /** Tells every member that this one used the instance under {@code key} (at most once per report interval). */
  default void reportActivity(String key) {
  }

  /**
   * Tells every member how many requests this one holds now (limits.maxWaitingTotal is counted over the cluster).
   * The share of a member that leaves is dropped with it.
   */
  default void reportWaiting(int count) {
  }

  /**
   * Asks {@code member} to stop by hand the instance it manages under {@code key} (admin API on another member):
   * its view of the instance afterwards, or the {@link dev.smartgateway.error.GatewayException} it refused with.
   */
  default Future<InstanceView> stopAt(String member, String key, boolean force) {
    return Future.failedFuture(new IllegalStateException("not clustered"));
  }

  /** From now on, other members' stop asks for instances this member manages are answered by {@code stops}. */
  default Future<Void> serveStops(Stops stops) {
    return Future.succeededFuture();
  }

  /** Stops by hand asked by other members; any thread. */
  interface Stops {
    Future<InstanceView> stop(String key, boolean force);
  }

  /** How often a member reports activity on an instance another manages. */
  default long activityReportMillis() {
    return 1000;
  }

  /** From now on (once this completes), what members change is delivered to {@code listener}. */
  default Future<Void> listen(Listener listener) {
    return Future.succeededFuture();
  }

  default Future<Void> close() {
    return Future.succeededFuture();
  }

  /** News from the cluster; any thread. */
  interface Listener {
    /** A record was written (by any member, this one included). */
    void changed(SharedInstance record);

    /** The record under {@code key} was removed. */
    void removed(String key);

    /** {@code member} used the instance under {@code key}. */
    void activity(String key, String member);

    /** {@code member} holds {@code count} requests now (also delivered, once listening, for every member's last count). */
    void waiting(String member, int count);

    /** {@code member} left the cluster (stopped, or declared dead). */
    void memberLeft(String member);
  }
}
