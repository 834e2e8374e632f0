package dev.smartgateway.admin;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;

/**
 * One line of the fan-out's NDJSON answer: the outcome of one target. Every line has the same keys, so a
 * consumer never has to ask whether one is there:
 *
 * <pre>
 * {"target":"r1","status":200,"headers":{"content-type":"application/json"},"body":"...","bodyBytes":1234,
 *  "truncated":false,"ms":87,"error":null}
 * </pre>
 *
 * <ul>
 * <li>{@code status}, {@code headers}: of the answer; null when no response head arrived.</li>
 * <li>{@code headers}: names in lower case; a header sent once is a string, one sent several times a list
 *     of its values in order (joining them would corrupt {@code Set-Cookie}).</li>
 * <li>{@code body} (UTF-8 text) or else {@code bodyBase64}: the first {@code maxBodySize} bytes; null when
 *     no response head arrived.</li>
 * <li>{@code bodyBytes}: every body byte that arrived, kept or not; {@code truncated}: fewer were kept.</li>
 * <li>{@code ms}: from sending the request to the last byte of the answer (or to the failure).</li>
 * <li>{@code error}: null when the answer arrived whole, whatever its status (a gateway error such as 502
 *     {@code boot-failed} is an answer); else {@code {"type": "timeout" | "connect" | "connection" |
 *     "protocol", "detail": "..."}}, and the other keys say how far it got.</li>
 * </ul>
 */
final class FanoutLine {

  private FanoutLine() {
  }

  /** An answer that arrived whole. */
  static Buffer answered(String target, int status, MultiMap headers, BoundedBody body, long ms) {
    JsonObject line = head(target, status, headers);
    body.writeTo(line);
    return encode(line.put("ms", ms).putNull("error"));
  }

  /**
   * An exchange that failed: {@code status} is null when no response head arrived, else the answer so far.
   *
   * @param type one of {@link TargetFailure}'s types
   */
  static Buffer failed(String target, Integer status, MultiMap headers, BoundedBody body, long ms, String type,
                       String detail) {
    JsonObject line = status == null ? head(target, null, null) : head(target, status, headers);
    if (status == null) {
      line.putNull("body").put("bodyBytes", 0L).put("truncated", false);
    } else {
      body.writeTo(line);
    }
    return encode(line.put("ms", ms).put("error", new JsonObject().put("type", type).put("detail", detail)));
  }

  private static JsonObject head(String target, Integer status, MultiMap headers) {
    return new JsonObject().put("target", target).put("status", status)
        .put("headers", headers == null ? null : headers(headers));
  }

  static JsonObject headers(MultiMap headers) {
    JsonObject json = new JsonObject();
    for (String name : headers.names()) {
      List<String> values = headers.getAll(name);
      String key = name.toLowerCase(Locale.ROOT);
      json.put(key, values.size() == 1 ? values.get(0) : new JsonArray(List.copyOf(values)));
    }
    return json;
  }

  private static Buffer encode(JsonObject line) {
    return line.toBuffer().appendByte((byte) '\n');
  }
}
