package dev.smartgateway.admin;

import dev.smartgateway.config.AdminConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static dev.smartgateway.admin.FieldErrors.describe;

/**
 * Reads the body of {@code POST /admin/fanout} into a {@link FanoutRequest}. Every problem is collected and
 * reported together ({@link Invalid}): a caller fixes a request in one round, not one field per round.
 * Unknown keys are refused too, so that a misspelt {@code concurency} is not silently the default. Whom
 * it is for: {@link TargetsReader}; its bounds: {@link BoundsReader}; its headers: {@link FanoutHeadersReader}.
 */
final class FanoutRequestReader {

  static final Set<String> KEYS = Set.of("targets", "pattern", "groups", "method", "path", "headers", "body",
      "bodyBase64", "concurrency", "timeout", "maxBodySize");

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

  private FanoutRequestReader() {
  }

  static FanoutRequest read(JsonObject json, AdminConfig limits) throws Invalid {
    FieldErrors errors = new FieldErrors();
    json.fieldNames().stream().filter(k -> !KEYS.contains(k)).sorted()
        .forEach(k -> errors.add(k, "unknown key; known: " + new TreeSet<>(KEYS)));
    TargetsReader.requireOneOf(json, errors);
    List<String> targets = TargetsReader.targets(json, limits, errors);
    GlobPattern pattern = TargetsReader.pattern(json, errors);
    var groups = TargetsReader.groups(json, errors);
    HttpMethod method = method(json, errors);
    String path = path(json, errors);
    var headers = FanoutHeadersReader.read(json.getValue("headers"), errors);
    Buffer body = body(json, errors);
    int concurrency = BoundsReader.concurrency(json, limits, errors);
    var timeout = BoundsReader.timeout(json, errors);
    long maxBodySize = BoundsReader.maxBodySize(json, limits, errors);
    if (!errors.isEmpty()) {
      throw new Invalid(errors.json());
    }
    return new FanoutRequest(targets, pattern, groups, method, path, headers, body, concurrency, timeout, maxBodySize);
  }

  /** A token, default GET; not CONNECT. */
  private static HttpMethod method(JsonObject json, FieldErrors errors) {
    Object value = json.getValue("method", "GET");
    if (!(value instanceof String name) || !RequestHeaders.isToken(name) || name.length() > 32) {
      errors.add("method", describe(value) + " is not a method (a token such as GET or POST)");
      return HttpMethod.GET;
    }
    if (name.equalsIgnoreCase("CONNECT")) {
      errors.add("method", "CONNECT opens a tunnel, it is not a request a VM can answer");
    }
    return HttpMethod.valueOf(name);
  }

  /** Starts with {@code /}, default {@code /}; printable ASCII without spaces (a query may follow {@code ?}). */
  private static String path(JsonObject json, FieldErrors errors) {
    Object value = json.getValue("path", "/");
    if (!(value instanceof String path) || !path.startsWith("/")) {
      errors.add("path", describe(value) + " is not a path: it must start with / (a query may follow ?)");
      return "/";
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '#') {
        errors.add("path", "has a space, control, non-ASCII or # character at " + i + "; percent-encode it");
        return "/";
      }
    }
    return path;
  }

  /** {@code body} (text, sent as UTF-8) or {@code bodyBase64} (bytes); null for none. */
  private static Buffer body(JsonObject json, FieldErrors errors) {
    Object text = json.getValue("body");
    Object base64 = json.getValue("bodyBase64");
    if (text != null && base64 != null) {
      errors.add("body", "give either body (text, sent as UTF-8) or bodyBase64, not both");
    } else if (text != null) {
      if (text instanceof String s) {
        return Buffer.buffer(s);
      }
      errors.add("body", "must be a text; use bodyBase64 for bytes");
    } else if (base64 != null) {
      if (base64 instanceof String s) {
        try {
          return Buffer.buffer(Base64.getDecoder().decode(s));
        } catch (IllegalArgumentException e) {
          // reported below
        }
      }
      errors.add("bodyBase64", "is not base64 (RFC 4648, with padding)");
    }
    return null;
  }
}
