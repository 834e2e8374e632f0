package dev.smartgateway.cloud.local;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the state directory says about one local instance (a child process, a QEMU): enough for the next gateway to
 * find it again, to tell it apart from an unrelated process that got the same pid later, and to know whose it is.
 * Each adapter's record adds its own fields to {@link #commonJson()}; the field names are a file format that gateways
 * of other versions read, so they never change.
 */
public interface LocalRecord {

  String id();

  String resource();

  Set<String> groups();

  long pid();

  int port();

  /** The gateway that started it ({@code gateway.id}); null for a provider created without one, or an old file. */
  String owner();

  Instant startedAt();

  /** The command line as launched. */
  List<String> command();

  /** The whole record as its file holds it. */
  JsonObject toJson();

  /** The fields every local record has; groups sorted so that the file reads the same every time. */
  default JsonObject commonJson() {
    JsonObject json = new JsonObject()
        .put("id", id())
        .put("resource", resource())
        .put("pid", pid())
        .put("port", port())
        .put("groups", new JsonArray(List.copyOf(new TreeSet<>(groups()))))
        .put("startedAt", startedAt().toString())
        .put("command", new JsonArray(command()));
    if (owner() != null) {
      json.put("owner", owner());
    }
    return json;
  }

  /** What no record can be without: a record read from a file lacking one of these is unreadable. */
  static void requireIdentity(String id, String resource, Instant startedAt) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(startedAt, "startedAt");
  }

  /** @throws RuntimeException if the field is missing or not a list */
  static Set<String> groups(JsonObject json) {
    return Set.copyOf(strings(json, "groups"));
  }

  /** @throws RuntimeException if the field is missing or not a list */
  static List<String> command(JsonObject json) {
    return strings(json, "command");
  }

  /** @throws RuntimeException if the field is missing or malformed */
  static Instant startedAt(JsonObject json) {
    return Instant.parse(json.getString("startedAt"));
  }

  private static List<String> strings(JsonObject json, String name) {
    return json.getJsonArray(name).getList().stream().map(String::valueOf).toList();
  }
}
