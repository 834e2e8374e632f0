package dev.smartgateway.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Blocking calls to the mock cloud's API (control plane only, never under load). */
final class Control {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  Control(String mockUrl) {
    this.base = mockUrl.endsWith("/") ? mockUrl.substring(0, mockUrl.length() - 1) : mockUrl;
  }

  JsonObject stats() throws IOException, InterruptedException {
    return new JsonObject(get("/api/stats"));
  }

  JsonArray vms(String resource) throws IOException, InterruptedException {
    String body = get("/api/vms?resource=" + resource);
    // Accept a bare array or an object wrapping it.
    return body.trim().startsWith("[") ? new JsonArray(body) : new JsonObject(body).getJsonArray("vms");
  }

  JsonObject vm(String id) throws IOException, InterruptedException {
    return new JsonObject(get("/api/vms/" + id));
  }

  JsonObject startVm(String resource, String group) throws IOException, InterruptedException {
    String json = new JsonObject().put("resource", resource).put("groups", new JsonArray().add(group)).encode();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/vms"))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException("POST /api/vms: " + r.statusCode() + " " + r.body());
    }
    return new JsonObject(r.body());
  }

  private String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + path + ": " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }
}
