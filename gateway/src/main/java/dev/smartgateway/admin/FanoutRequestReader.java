package dev.smartgateway.admin;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.config.AdminConfig;
import dev.smartgateway.config.Durations;
import dev.smartgateway.config.Sizes;
import dev.smartgateway.routing.Names;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the body of {@code POST /admin/fanout} into a {@link FanoutRequest}. Every problem is collected and
 * reported together ({@link Invalid}): a caller fixes a request in one round, not one field per round.
 * Unknown keys are refused too, so that a misspelt {@code concurency} is not silently the default.
 */
final class FanoutRequestReader {

  static final Set<String> KEYS = Set.of("targets", "pattern", "groups", "method", "path", "headers", "body",
      "bodyBase64", "concurrency", "timeout", "maxBodySize");
  static final int MAX_GROUPS = 32;
  static final int DEFAULT_CONCURRENCY = 8;
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
  /** Time per target is bounded too: one hour is past any cold start and any sane request. */
  static final Duration MAX_TIMEOUT = Duration.ofHours(1);
  static final long DEFAULT_MAX_BODY = 64 * 1024;

  /** The request could not be accepted; {@link #errors()} has one {@code {key, reason}} per problem. */
  static final class Invalid extends Exception {
    private final JsonArray errors;

    Invalid(JsonArray errors) {
      super(errors.size() + " problem(s) in the fan-out request", null, false, false);
      this.errors = errors;
    }

    JsonArray errors() {
      return errors;
    }
  }

  private final AdminConfig limits;
  private final JsonObject json;
  private final JsonArray errors = new JsonArray();

  private FanoutRequestReader(AdminConfig limits, JsonObject json) {
    this.limits = limits;
    this.json = json;
  }

  static FanoutRequest read(JsonObject json, AdminConfig limits) throws Invalid {
    return new FanoutRequestReader(limits, json).read();
  }

  private FanoutRequest read() throws Invalid {
    json.fieldNames().stream().filter(k -> !KEYS.contains(k)).sorted()
        .forEach(k -> error(k, "unknown key; known: " + new java.util.TreeSet<>(KEYS)));
    List<String> targets = targets();
    GlobPattern pattern = pattern();
    if (json.containsKey("targets") == json.containsKey("pattern")) {
      error("targets", "give either targets (a list of resources) or pattern (e.g. \"web-*\"), not both and not neither");
    }
    GroupSet groups = groups();
    HttpMethod method = method();
    String path = path();
    MultiMap headers = FanoutHeadersReader.read(json.getValue("headers"), this::error);
    Buffer body = body();
    int concurrency = (int) number("concurrency", Math.min(DEFAULT_CONCURRENCY, limits.fanoutMaxConcurrency()),
        1, limits.fanoutMaxConcurrency(), "admin.fanout.maxConcurrency");
    Duration timeout = timeout();
    long maxBody = number("maxBodySize", Math.min(DEFAULT_MAX_BODY, limits.fanoutMaxBodyBytes()), 0,
        limits.fanoutMaxBodyBytes(), "admin.fanout.maxBodySize");
    if (!errors.isEmpty()) {
      throw new Invalid(errors);
    }
    return new FanoutRequest(json.containsKey("targets") ? targets : null, json.containsKey("targets") ? null : pattern,
        groups, method, path, headers, body, concurrency, timeout, maxBody);
  }

  void error(String key, String reason) {
    errors.add(new JsonObject().put("key", key).put("reason", reason));
  }

  /** Resource names, duplicates collapsed (first occurrence kept), at most {@code admin.fanout.maxTargets}. */
  private List<String> targets() {
    if (!json.containsKey("targets")) {
      return List.of();
    }
    if (!(json.getValue("targets") instanceof JsonArray array)) {
      error("targets", "must be a list of resource names");
      return List.of();
    }
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < array.size(); i++) {
      Object name = array.getValue(i);
      if (name instanceof String s && Names.isResourceId(s)) {
        names.add(s);
      } else {
        error("targets[" + i + "]", describe(name) + " is not a resource name (" + Names.RESOURCE_GRAMMAR + ")");
      }
    }
    if (names.size() > limits.fanoutMaxTargets()) {
      error("targets", names.size() + " resources, more than admin.fanout.maxTargets (" + limits.fanoutMaxTargets() + ")");
    }
    return new ArrayList<>(names);
  }

  private GlobPattern pattern() {
    if (!json.containsKey("pattern")) {
      return null;
    }
    if (!(json.getValue("pattern") instanceof String text)) {
      error("pattern", "must be a text such as \"web-*\"");
      return null;
    }
    try {
      return GlobPattern.compile(text);
    } catch (IllegalArgumentException e) {
      error("pattern", e.getMessage());
      return null;
    }
  }

  private GroupSet groups() {
    if (!(json.getValue("groups") instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_GROUPS) {
      error("groups", "required: a list of 1 to " + MAX_GROUPS + " group names, the groups every request is sent with");
      return null;
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      Object name = array.getValue(i);
      if (name instanceof String s && GroupSet.isValidName(s)) {
        names.add(s);
      } else {
        error("groups[" + i + "]", describe(name) + " is not a group name (" + GroupSet.NAME_GRAMMAR + ")");
      }
    }
    return names.size() == array.size() ? GroupSet.of(names) : null;
  }

  private HttpMethod method() {
    Object value = json.getValue("method", "GET");
    if (!(value instanceof String name) || !RequestHeaders.isToken(name) || name.length() > 32) {
      error("method", describe(value) + " is not a method (a token such as GET or POST)");
      return HttpMethod.GET;
    }
    if (name.equalsIgnoreCase("CONNECT")) {
      error("method", "CONNECT opens a tunnel, it is not a request a VM can answer");
    }
    return HttpMethod.valueOf(name);
  }

  private String path() {
    Object value = json.getValue("path", "/");
    if (!(value instanceof String path) || !path.startsWith("/")) {
      error("path", describe(value) + " is not a path: it must start with / (a query may follow ?)");
      return "/";
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '#') {
        error("path", "has a space, control, non-ASCII or # character at " + i + "; percent-encode it");
        return "/";
      }
    }
    return path;
  }

  private Buffer body() {
    Object text = json.getValue("body");
    Object base64 = json.getValue("bodyBase64");
    if (text != null && base64 != null) {
      error("body", "give either body (text, sent as UTF-8) or bodyBase64, not both");
      return null;
    }
    if (text != null) {
      if (text instanceof String s) {
        return Buffer.buffer(s);
      }
      error("body", "must be a text; use bodyBase64 for bytes");
    } else if (base64 != null) {
      try {
        return Buffer.buffer(Base64.getDecoder().decode((String) base64));
      } catch (ClassCastException | IllegalArgumentException e) {
        error("bodyBase64", "is not base64 (RFC 4648, with padding)");
      }
    }
    return null;
  }

  private Duration timeout() {
    Object value = json.getValue("timeout");
    if (value == null) {
      return DEFAULT_TIMEOUT;
    }
    try {
      Duration timeout = Durations.parse(value instanceof String s ? s : String.valueOf(value));
      if (timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
        error("timeout", "must be more than 0 and at most " + Durations.format(MAX_TIMEOUT));
        return DEFAULT_TIMEOUT;
      }
      return timeout;
    } catch (IllegalArgumentException e) {
      error("timeout", e.getMessage());
      return DEFAULT_TIMEOUT;
    }
  }

  /** A whole number in [min, max]; sizes may also be written like {@code 64k}. */
  private long number(String key, long fallback, long min, long max, String maxKey) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    long n;
    if (value instanceof Integer || value instanceof Long) {
      n = ((Number) value).longValue();
    } else if (value instanceof String s && key.equals("maxBodySize")) {
      try {
        n = Sizes.parse(s);
      } catch (IllegalArgumentException e) {
        error(key, e.getMessage());
        return fallback;
      }
    } else {
      error(key, describe(value) + " is not a whole number");
      return fallback;
    }
    if (n < min || n > max) {
      error(key, n + " is not within " + min + ".." + max + " (" + maxKey + " is " + max + ")");
      return fallback;
    }
    return n;
  }

  static String describe(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }
}
