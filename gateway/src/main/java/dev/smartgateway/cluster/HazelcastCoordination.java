package dev.smartgateway.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.topic.ITopic;
import dev.smartgateway.lifecycle.Coordination;
import dev.smartgateway.lifecycle.SharedInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@link Coordination} on Hazelcast (DESIGN section 10): the registry is a Hazelcast map of JSON records (with a
 * backup on another member, so it outlives any one member), claims and takeovers are its atomic putIfAbsent and
 * replace, changes reach every member through an entry listener, activity through a topic, departures through a
 * membership listener (a member that stops and one declared dead after {@code cluster.failureTimeout} alike), and
 * each member's count of held requests through a second map (its entry removed when the member leaves). Map
 * calls that block run on Vert.x's worker pool, never on an event loop.
 */
final class HazelcastCoordination implements Coordination {

  private static final Logger log = LoggerFactory.getLogger("dev.smartgateway.cluster");

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final IMap<String, String> instances;
  private final ITopic<String> activity;
  /** Each member's count of held requests, by member id. */
  private final IMap<String, Integer> waiting;
  private final String member;
  private final long activityReportMillis;
  private UUID entryListener;
  private UUID topicListener;
  private UUID membershipListener;
  private UUID waitingListener;
  private final StopAsks stops;

  HazelcastCoordination(Vertx vertx, HazelcastInstance hazelcast, long activityReportMillis) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.instances = hazelcast.getMap(HazelcastSettings.INSTANCES);
    this.activity = hazelcast.getTopic(HazelcastSettings.ACTIVITY);
    this.waiting = hazelcast.getMap(HazelcastSettings.WAITING);
    this.member = hazelcast.getCluster().getLocalMember().getUuid().toString();
    this.activityReportMillis = activityReportMillis;
    this.stops = new StopAsks(vertx);
  }

  @Override
  public boolean clustered() {
    return true;
  }

  @Override
  public String member() {
    return member;
  }

  @Override
  public Set<String> members() {
    return hazelcast.getCluster().getMembers().stream().map(m -> m.getUuid().toString()).collect(Collectors.toSet());
  }

  @Override
  public Future<SharedInstance> claim(SharedInstance wanted) {
    return blocking(() -> {
      String held = instances.putIfAbsent(wanted.key(), wanted.encode());
      return held == null ? null : SharedInstance.decode(held);
    });
  }

  @Override
  public Future<Void> put(SharedInstance record) {
    return Future.fromCompletionStage(instances.setAsync(record.key(), record.encode()));
  }

  @Override
  public Future<Void> remove(SharedInstance last) {
    return blocking(() -> {
      instances.remove(last.key(), last.encode());
      return null;
    });
  }

  @Override
  public Future<Boolean> replace(SharedInstance from, SharedInstance to) {
    return blocking(() -> instances.replace(from.key(), from.encode(), to.encode()));
  }

  @Override
  public Future<Integer> count() {
    return blocking(instances::size);
  }

  @Override
  public void reportWaiting(int count) {
    waiting.setAsync(member, count);
  }

  @Override
  public Future<List<SharedInstance>> all() {
    return blocking(() -> instances.values().stream().map(SharedInstance::decode).toList());
  }

  @Override
  public void reportActivity(String key) {
    activity.publishAsync(member + " " + key);
  }

  @Override
  public Future<dev.smartgateway.lifecycle.InstanceView> stopAt(String manager, String key, boolean force) {
    return stops.ask(manager, key, force);
  }

  @Override
  public Future<Void> serveStops(Stops handler) {
    return stops.serve(member, handler);
  }

  @Override
  public long activityReportMillis() {
    return activityReportMillis;
  }

  @Override
  public Future<Void> listen(Listener listener) {
    return blocking(() -> {
      entryListener = instances.addEntryListener(new Entries(listener), true);
      topicListener = activity.addMessageListener(message -> {
        String text = message.getMessageObject();
        int space = text.indexOf(' ');
        listener.activity(text.substring(space + 1), text.substring(0, space));
      });
      waitingListener = waiting.addEntryListener(new Counts(listener), true);
      waiting.forEach((who, count) -> listener.waiting(who, count));
      membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
        @Override
        public void memberAdded(MembershipEvent event) {
          // MembershipLog says so
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
          String left = event.getMember().getUuid().toString();
          waiting.removeAsync(left); // its held requests died with it (every member does this; once is enough)
          listener.memberLeft(left);
        }
      });
      return null;
    });
  }

  @Override
  public Future<Void> close() {
    return stops.close().transform(x -> blocking(() -> {
      if (hazelcast.getLifecycleService().isRunning()) {
        if (entryListener != null) {
          instances.removeEntryListener(entryListener);
        }
        if (topicListener != null) {
          activity.removeMessageListener(topicListener);
        }
        if (waitingListener != null) {
          waiting.removeEntryListener(waitingListener);
          waiting.remove(member);
        }
        if (membershipListener != null) {
          hazelcast.getCluster().removeMembershipListener(membershipListener);
        }
      }
      return null;
    }));
  }

  private <T> Future<T> blocking(java.util.concurrent.Callable<T> call) {
    return vertx.executeBlocking(call, false);
  }

  /** Members' counts of held requests; a removed one is 0. */
  private record Counts(Listener listener) implements EntryAddedListener<String, Integer>,
      EntryUpdatedListener<String, Integer>, EntryRemovedListener<String, Integer> {
    @Override
    public void entryAdded(EntryEvent<String, Integer> event) {
      listener.waiting(event.getKey(), event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, Integer> event) {
      listener.waiting(event.getKey(), event.getValue());
    }

    @Override
    public void entryRemoved(EntryEvent<String, Integer> event) {
      listener.waiting(event.getKey(), 0);
    }
  }

  /** Registry changes, as records (the values are included). */
  private record Entries(Listener listener) implements EntryAddedListener<String, String>,
      EntryUpdatedListener<String, String>, EntryRemovedListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      listener.changed(SharedInstance.decode(event.getValue()));
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      listener.changed(SharedInstance.decode(event.getValue()));
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      listener.removed(event.getKey());
    }
  }
}
