package dev.smartgateway.cloud.qemu;

import dev.smartgateway.cloud.local.LocalRecord;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What the state directory says about one VM ({@code <id>.json}): a {@link LocalRecord} (QEMU's command line names
 * the VM's own QMP socket, which tells it apart from a process that got the same pid later) and the accelerator.
 *
 * @param owner   the gateway that started it ({@code gateway.id}); null for a provider created without one
 * @param accel   the accelerator it runs with
 * @param command QEMU's command line as launched
 */
record VmRecord(String id, String resource, Set<String> groups, long pid, int port, String owner, Instant startedAt,
                String accel, List<String> command) implements LocalRecord {

  VmRecord {
    LocalRecord.requireIdentity(id, resource, startedAt);
    groups = Set.copyOf(groups);
    command = List.copyOf(command);
  }

  @Override
  public JsonObject toJson() {
    return commonJson().put("accel", accel);
  }

  /** @throws RuntimeException if a field is missing or malformed */
  static VmRecord fromJson(JsonObject json) {
    return new VmRecord(
        json.getString("id"),
        json.getString("resource"),
        LocalRecord.groups(json),
        json.getLong("pid"),
        json.getInteger("port"),
        json.getString("owner"),
        LocalRecord.startedAt(json),
        json.getString("accel"),
        LocalRecord.command(json));
  }
}
