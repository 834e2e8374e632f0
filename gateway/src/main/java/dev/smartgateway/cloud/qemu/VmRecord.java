package dev.smartgateway.cloud.qemu;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the state directory says about one VM ({@code <id>.json}): enough for the next gateway to find it again, to
 * tell it apart from an unrelated process that got the same pid later (its command line names the VM's own QMP
 * socket), and to know whose it is.
 *
 * @param owner   the gateway that started it ({@code gateway.id}); null for a provider created without one
 * @param accel   the accelerator it runs with
 * @param command QEMU's command line as launched
 */
record VmRecord(String id, String resource, Set<String> groups, long pid, int port, String owner, Instant startedAt,
                String accel, List<String> command) {

  VmRecord {
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
        .put("groups", new JsonArray(List.copyOf(new TreeSet<>(groups))))
        .put("pid", pid)
        .put("port", port)
        .put("startedAt", startedAt.toString())
        .put("accel", accel)
        .put("command", new JsonArray(command));
    if (owner != null) {
      json.put("owner", owner);
    }
    return json;
  }

  /** @throws RuntimeException if a field is missing or malformed */
  static VmRecord fromJson(JsonObject json) {
    return new VmRecord(
        json.getString("id"),
        json.getString("resource"),
        Set.copyOf(json.getJsonArray("groups").getList().stream().map(String::valueOf).toList()),
        json.getLong("pid"),
        json.getInteger("port"),
        json.getString("owner"),
        Instant.parse(json.getString("startedAt")),
        json.getString("accel"),
        json.getJsonArray("command").getList().stream().map(String::valueOf).toList());
  }
}
