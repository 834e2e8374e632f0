package dev.smartgateway.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The problems found in a request body, one {@code {key, reason}} each: the {@code errors} of a 400
 * {@code invalid-settings}. Readers add to it and go on reading, so that every problem is reported at once.
 */
final class FieldErrors {

  private final JsonArray errors = new JsonArray();

  void add(String key, String reason) {
    errors.add(new JsonObject().put("key", key).put("reason", reason));
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  JsonArray json() {
    return errors.copy();
  }

  /** A value as a message shows it: texts quoted, anything else as JSON would write it. */
  static String describe(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }
}
