package dev.smartgateway.cloud.process;

import dev.smartgateway.cloud.local.LocalRecord;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What a pid file says about one child: a {@link LocalRecord} (its command line and start time tell it apart from an
 * unrelated process that got the same pid later) and whether it leads a process group.
 *
 * @param command      the command line as launched, placeholders filled in
 * @param processGroup whether the child leads its own process group (signals then reach all it started)
 * @param owner        the gateway that started it ({@code gateway.id}); null in files written before owners
 *                     existed, or by a provider created without one
 */
record PidRecord(String id, String resource, long pid, int port, Set<String> groups, Instant startedAt,
                 List<String> command, boolean processGroup, String owner) implements LocalRecord {

  /** A record without an owner. */
  PidRecord(String id, String resource, long pid, int port, Set<String> groups, Instant startedAt,
            List<String> command, boolean processGroup) {
    this(id, resource, pid, port, groups, startedAt, command, processGroup, null);
  }

  PidRecord {
    LocalRecord.requireIdentity(id, resource, startedAt);
    groups = Set.copyOf(groups);
    command = List.copyOf(command);
  }

  @Override
  public JsonObject toJson() {
    return commonJson().put("processGroup", processGroup);
  }

  /** @throws RuntimeException if a field is missing or malformed */
  static PidRecord fromJson(JsonObject json) {
    return new PidRecord(
        json.getString("id"),
        json.getString("resource"),
        json.getLong("pid"),
        json.getInteger("port"),
        LocalRecord.groups(json),
        LocalRecord.startedAt(json),
        LocalRecord.command(json),
        json.getBoolean("processGroup", false),
        json.getString("owner"));
  }
}
