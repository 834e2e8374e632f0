package dev.smartgateway.admin;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.config.AdminConfig;
import dev.smartgateway.routing.Names;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static dev.smartgateway.admin.FieldErrors.describe;

/**
 * Whom a fan-out is for and as whom: {@code targets} (resource names) or {@code pattern}, and {@code groups}.
 * The names are checked against the virtual URL grammar here, so that a bad one is a 400 naming it rather
 * than twenty lines of 400s from the gateway.
 */
final class TargetsReader {

  static final int MAX_GROUPS = 32;

  private TargetsReader() {
  }

  /** Exactly one of {@code targets} and {@code pattern} must be there; an error otherwise. */
  static void requireOneOf(JsonObject json, FieldErrors errors) {
    if (json.containsKey("targets") == json.containsKey("pattern")) {
      errors.add("targets", "give either targets (a list of resources) or pattern (e.g. \"web-*\"), not both and not neither");
    }
  }

  /** Resource names, duplicates collapsed (first occurrence kept), at most {@code admin.fanout.maxTargets}; null if absent. */
  static List<String> targets(JsonObject json, AdminConfig limits, FieldErrors errors) {
    if (!json.containsKey("targets")) {
      return null;
    }
    if (!(json.getValue("targets") instanceof JsonArray array)) {
      errors.add("targets", "must be a list of resource names");
      return null;
    }
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < array.size(); i++) {
      Object name = array.getValue(i);
      if (name instanceof String s && Names.isResourceId(s)) {
        names.add(s);
      } else {
        errors.add("targets[" + i + "]", describe(name) + " is not a resource name (" + Names.RESOURCE_GRAMMAR + ")");
      }
    }
    if (names.size() > limits.fanoutMaxTargets()) {
      errors.add("targets", names.size() + " resources, more than admin.fanout.maxTargets (" + limits.fanoutMaxTargets() + ")");
    }
    return new ArrayList<>(names);
  }

  /** The resource name pattern; null if absent or invalid. */
  static GlobPattern pattern(JsonObject json, FieldErrors errors) {
    if (!json.containsKey("pattern")) {
      return null;
    }
    if (!(json.getValue("pattern") instanceof String text)) {
      errors.add("pattern", "must be a text such as \"web-*\"");
      return null;
    }
    try {
      return GlobPattern.compile(text);
    } catch (IllegalArgumentException e) {
      errors.add("pattern", e.getMessage());
      return null;
    }
  }

  /** Required: 1 to 32 group names, a set (duplicates and order do not matter); null if invalid. */
  static GroupSet groups(JsonObject json, FieldErrors errors) {
    if (!(json.getValue("groups") instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_GROUPS) {
      errors.add("groups", "required: a list of 1 to " + MAX_GROUPS + " group names, the groups every request is sent with");
      return null;
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      Object name = array.getValue(i);
      if (name instanceof String s && GroupSet.isValidName(s)) {
        names.add(s);
      } else {
        errors.add("groups[" + i + "]", describe(name) + " is not a group name (" + GroupSet.NAME_GRAMMAR + ")");
      }
    }
    return names.size() == array.size() ? GroupSet.of(names) : null;
  }
}
