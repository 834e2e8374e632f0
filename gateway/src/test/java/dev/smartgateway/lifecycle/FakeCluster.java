package dev.smartgateway.lifecycle;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A cluster in memory (DESIGN section 10): one registry, members that join and leave, every change delivered to
 * every member's listener at once (each member then hops onto its own control context, as with Hazelcast). Calls
 * complete at once; nothing is lost or reordered. What a test wants of the real thing, without a network.
 */
final class FakeCluster {

  static final long REPORT_MS = 500;

  private final Map<String, String> records = new LinkedHashMap<>();
  private final List<Member> members = new ArrayList<>();
  /** Activity reports sent, by key. */
  final Map<String, Integer> reports = new LinkedHashMap<>();
  /** Each member's last count of held requests. */
  final Map<String, Integer> waiting = new LinkedHashMap<>();

  Member join(String id) {
    Member member = new Member(id);
    members.add(member);
    return member;
  }

  /** The member is gone (stopped or declared dead): the others hear of it. */
  void leave(Member member) {
    members.remove(member);
    waiting.remove(member.id);
    members.forEach(m -> m.listener.waiting(member.id, 0));
    members.forEach(m -> m.listener.memberLeft(member.id));
  }

  List<SharedInstance> records() {
    return records.values().stream().map(SharedInstance::decode).toList();
  }

  private void changed(String text) {
    SharedInstance record = SharedInstance.decode(text);
    members.stream().filter(m -> m.listener != null).forEach(m -> m.listener.changed(record));
  }

  final class Member implements Coordination {
    final String id;
    Listener listener;
    Stops stops;

    Member(String id) {
      this.id = id;
    }

    @Override
    public boolean clustered() {
      return true;
    }

    @Override
    public String member() {
      return id;
    }

    @Override
    public Set<String> members() {
      return members.stream().map(m -> m.id).collect(Collectors.toSet());
    }

    @Override
    public Future<SharedInstance> claim(SharedInstance wanted) {
      String held = records.putIfAbsent(wanted.key(), wanted.encode());
      if (held != null) {
        return Future.succeededFuture(SharedInstance.decode(held));
      }
      changed(wanted.encode());
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> put(SharedInstance record) {
      records.put(record.key(), record.encode());
      changed(record.encode());
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> remove(SharedInstance last) {
      if (records.remove(last.key(), last.encode())) {
        members.forEach(m -> m.listener.removed(last.key()));
      }
      return Future.succeededFuture();
    }

    @Override
    public Future<Boolean> replace(SharedInstance from, SharedInstance to) {
      boolean replaced = records.replace(from.key(), from.encode(), to.encode());
      if (replaced) {
        changed(to.encode());
      }
      return Future.succeededFuture(replaced);
    }

    @Override
    public Future<List<SharedInstance>> all() {
      return Future.succeededFuture(records());
    }

    @Override
    public void reportActivity(String key) {
      reports.merge(key, 1, Integer::sum);
      members.forEach(m -> m.listener.activity(key, id));
    }

    @Override
    public void reportWaiting(int count) {
      waiting.put(id, count);
      members.stream().filter(m -> m.listener != null).forEach(m -> m.listener.waiting(id, count));
    }

    @Override
    public Future<InstanceView> stopAt(String member, String key, boolean force) {
      return members.stream().filter(m -> m.id.equals(member) && m.stops != null).findFirst()
          .map(m -> m.stops.stop(key, force))
          .orElse(Future.failedFuture(new IllegalStateException("no member " + member)));
    }

    @Override
    public Future<Void> serveStops(Stops handler) {
      this.stops = handler;
      return Future.succeededFuture();
    }

    @Override
    public long activityReportMillis() {
      return REPORT_MS;
    }

    @Override
    public Future<Void> listen(Listener l) {
      this.listener = l;
      waiting.forEach(l::waiting);
      return Future.succeededFuture();
    }
  }
}
