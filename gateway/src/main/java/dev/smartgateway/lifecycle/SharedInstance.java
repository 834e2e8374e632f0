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
 * @param backoff    set on the last version of an instance whose start failed: the pool's crash-loop backoff, which
 *                   every member then keeps (a failing resource is not started by each gateway in turn); else null
 */
public record SharedInstance(String key, String resource, List<String> groups, String member, String ref,
                             String instanceId, String state, String host, int port, long seq, Backoff backoff) {

  public SharedInstance {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(member, "member");
    groups = List.copyOf(groups);
  }

  public SharedInstance(String key, String resource, List<String> groups, String member, String ref,
                        String instanceId, String state, String host, int port, long seq) {
    this(key, resource, groups, member, ref, instanceId, state, host, port, seq, null);
  }

  /**
   * A failed start as the pool's members remember it: the error answered meanwhile, until when (wall clock: the
   * members' clocks are assumed to agree within a second or so), and how many starts failed in a row (the next
   * failure, on whichever member, doubles the wait).
   */
  public record Backoff(String type, String detail, long retryAtMillis, int failures) {
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
        seq + 1, null);
  }

  /** The last version of an instance whose start failed, carrying the pool's backoff. */
  SharedInstance failed(Backoff newBackoff) {
    return new SharedInstance(key, resource, groups, member, ref, instanceId, LifecycleState.FAILED.name(), host, port,
        seq + 1, newBackoff);
  }

  public String encode() {
    return new JsonObject().put("key", key).put("resource", resource).put("groups", new JsonArray(groups))
        .put("member", member).put("ref", ref).put("instanceId", instanceId).put("state", state).put("host", host)
        .put("port", port).put("seq", seq).put("backoff", backoff == null ? null : new JsonObject()
            .put("type", backoff.type()).put("detail", backoff.detail()).put("retryAtMillis", backoff.retryAtMillis())
            .put("failures", backoff.failures())).encode();
  }

  public static SharedInstance decode(String text) {
    JsonObject json = new JsonObject(text);
    return new SharedInstance(json.getString("key"), json.getString("resource"),
        json.getJsonArray("groups").getList().stream().map(String::valueOf).toList(), json.getString("member"),
        json.getString("ref"), json.getString("instanceId"), json.getString("state"), json.getString("host"),
        json.getInteger("port", 0), json.getLong("seq", 0L), backoff(json.getJsonObject("backoff")));
  }

  private static Backoff backoff(JsonObject json) {
    return json == null ? null : new Backoff(json.getString("type"), json.getString("detail"),
        json.getLong("retryAtMillis", 0L), json.getInteger("failures", 1));
  }
}
