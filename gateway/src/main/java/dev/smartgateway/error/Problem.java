package dev.smartgateway.error;

import io.vertx.core.json.JsonObject;

/** An RFC 9457 problem details body. */
public record Problem(String type, String title, int status, String detail, String resource) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("type", type)
        .put("title", title)
        .put("status", status)
        .put("detail", detail);
    if (resource != null) {
      json.put("resource", resource);
    }
    return json;
  }
}
