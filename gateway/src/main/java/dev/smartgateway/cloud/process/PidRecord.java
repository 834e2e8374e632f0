package dev.smartgateway.cloud.process;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a pid file says about one child: enough to find it again after a gateway restart and to tell it
 * apart from an unrelated process that got the same pid later.
 *
 * @param command      the command line as launched, placeholders filled in
 * @param processGroup whether the child leads its own process group (signals then reach all it started)
 * @param owner        the gateway that started it ({@code gateway.id}); null in files written before owners
 *                     existed, or by a provider created without one
 */
record PidRecord(String id, String resource, long pid, int port, Set<String> groups, Instant startedAt,
                 List<String> command, boolean processGroup, String owner) {

  /** A record without an owner. */
  PidRecord(String id, String resource, long pid, int port, Set<String> groups, Instant startedAt,
            List<String> command, boolean processGroup) {
    this(id, resource, pid, port, groups, startedAt, command, processGroup, null);
  }

  PidRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(startedAt, "startedAt");
    groups = Set.copyOf(groups);
    command = List.copyOf(command);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("resource", resource)
        .put("pid", pid)
        .put("port", port)
        .put("groups", new JsonArray(List.copyOf(new TreeSet<>(groups))))
        .put("startedAt", startedAt.toString())
        .put("command", new JsonArray(command))
        .put("processGroup", processGroup);
    if (owner != null) {
      json.put("owner", owner);
    }
    return json;
  }

  /** @throws RuntimeException if a field is missing or malformed */
  static PidRecord fromJson(JsonObject json) {
    return new PidRecord(
        json.getString("id"),
        json.getString("resource"),
        json.getLong("pid"),
        json.getInteger("port"),
        Set.copyOf(json.getJsonArray("groups").getList().stream().map(String::valueOf).toList()),
        Instant.parse(json.getString("startedAt")),
        json.getJsonArray("command").getList().stream().map(String::valueOf).toList(),
        json.getBoolean("processGroup", false),
        json.getString("owner"));
  }
}
