package dev.smartgateway.admin;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The {@code headers} of a fan-out request: {@code {"name": "value"}} or {@code {"name": ["v1", "v2"]}} for a
 * header sent several times. Each name and value is checked by {@link RequestHeaders}.
 */
final class FanoutHeadersReader {

  /** Far more than any real request sends; keeps one fan-out's per-request work small. */
  static final int MAX_HEADERS = 100;

  private FanoutHeadersReader() {
  }

  /** @param error gets each problem; the headers that are fine are returned regardless */
  static MultiMap read(Object value, FieldErrors error) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (value == null) {
      return headers;
    }
    if (!(value instanceof JsonObject object)) {
      error.add("headers", "must be an object of header names to a value or a list of values");
      return headers;
    }
    if (object.size() > MAX_HEADERS) {
      error.add("headers", object.size() + " headers, more than " + MAX_HEADERS);
      return headers;
    }
    for (String name : object.fieldNames()) {
      String key = "headers." + name;
      String problem = RequestHeaders.problemWithName(name);
      if (problem != null) {
        error.add(key, problem);
        continue;
      }
      Object values = object.getValue(name);
      JsonArray list = values instanceof JsonArray array ? array : new JsonArray().add(values);
      for (Object one : list) {
        if (!(one instanceof String text)) {
          error.add(key, FieldErrors.describe(one) + " is not a text value");
        } else if ((problem = RequestHeaders.problemWithValue(text)) != null) {
          error.add(key, problem);
        } else {
          headers.add(name, text);
        }
      }
    }
    return headers;
  }
}
