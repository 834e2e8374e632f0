package dev.smartgateway.lifecycle;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Objects;

/**
 * One instance as the cluster's registry holds it (DESIGN section 10): which pool and slot it fills, which member
 * manages it (starts, probes, stops it), its state and endpoint. Only its manager writes it; the others mirror it
 * so that their warm path forwards to it like to their own. Encoded as a JSON string with its fields in a fixed
 * order, so the same record is always the same text (the registry's compare-and-set compares texts).
 *
 * @param key        {@code resource|groups#slot}: the pool, and which of its places (0 up to maxInstances); an
 *                   adopted instance takes {@code #vm:<id>}
 * @param member     the managing member's id
 * @param ref        the manager's own name of it
 * @param instanceId the cloud's id, null until the cloud answered the start
 * @param state      a {@link LifecycleState} name
 * @param host       where it serves, null before it runs
 * @param seq        how many times it was written: a mirror ignores an older record that arrives late
 */
public record SharedInstance(String key, String resource, List<String> groups, String member, String ref,
                             String instanceId, String state, String host, int port, long seq) {

  public SharedInstance {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(member, "member");
    groups = List.copyOf(groups);
  }

  /** The registry key of a pool's place. */
  static String key(String resource, List<String> sortedGroups, String slot) {
    return resource + "|" + String.join(",", sortedGroups) + "#" + slot;
  }

  LifecycleState lifecycleState() {
    return LifecycleState.valueOf(state);
  }

  /** The next version, as its manager writes it. */
  SharedInstance next(String newMember, String newInstanceId, LifecycleState newState, String newHost, int newPort) {
    return new SharedInstance(key, resource, groups, newMember, ref, newInstanceId, newState.name(), newHost, newPort,
        seq + 1);
  }

  public String encode() {
    return new JsonObject().put("key", key).put("resource", resource).put("groups", new JsonArray(groups))
        .put("member", member).put("ref", ref).put("instanceId", instanceId).put("state", state).put("host", host)
        .put("port", port).put("seq", seq).encode();
  }

  public static SharedInstance decode(String text) {
    JsonObject json = new JsonObject(text);
    return new SharedInstance(json.getString("key"), json.getString("resource"),
        json.getJsonArray("groups").getList().stream().map(String::valueOf).toList(), json.getString("member"),
        json.getString("ref"), json.getString("instanceId"), json.getString("state"), json.getString("host"),
        json.getInteger("port", 0), json.getLong("seq", 0L));
  }
}
