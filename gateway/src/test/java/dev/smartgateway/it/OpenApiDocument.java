package dev.smartgateway.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.smartgateway.it.Harness.await;

/**
 * The admin API's OpenAPI document (3.1) as served, read into what a test checks answers against: every
 * operation with its documented statuses and media types, and a real validator (vertx-openapi's
 * {@link ResponseValidator} over an {@link OpenAPIContract}, JSON Schema 2020-12 by vertx-json-schema) for
 * what an answer must be.
 *
 * <p>vertx-openapi 5.0 reads a short list of media types (application/json, vnd.*+json, text/plain,
 * octet-stream, multipart) and refuses a contract that names any other. The contract it is given is therefore
 * the served document with its media types adapted, and nothing else changed: {@code application/problem+json}
 * (JSON, which the validator does not recognise by that name) is given to it as {@code application/json};
 * {@code application/yaml}, {@code application/x-ndjson}, {@code text/event-stream}, Prometheus' text
 * ({@code text/plain; version=0.0.4; charset=utf-8}: the validator knows {@code text/plain} only without
 * parameters) and the console's {@code text/html}, {@code text/javascript} and {@code text/css} are left out, and
 * answers of those types are checked here — status and Content-Type against the served document, headers by the
 * validator, and content by the caller (item by item with {@link #validate(String, Object)}: each NDJSON line against
 * {@code FanoutLine}, each SSE {@code data:} against {@code Event}).
 */
final class OpenApiDocument {

  /** One operation: its id, method, path template, security, and its statuses each with its media types. */
  record Operation(String id, HttpMethod method, String path, boolean secured, Map<Integer, Set<String>> responses) {
    String route() {
      return method.name() + " " + path;
    }
  }

  private final Vertx vertx;
  private final JsonObject served;
  private final Map<String, Operation> operations = new LinkedHashMap<>();
  private final OpenAPIContract contract;
  private final ResponseValidator validator;

  private OpenApiDocument(Vertx vertx, JsonObject served, OpenAPIContract contract) {
    this.vertx = vertx;
    this.served = served;
    this.contract = contract;
    this.validator = ResponseValidator.create(vertx, contract);
    boolean securedByDefault = !served.getJsonArray("security", new io.vertx.core.json.JsonArray()).isEmpty();
    JsonObject paths = served.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String key : item.fieldNames()) {
        if (!Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace").contains(key)) {
          continue;
        }
        JsonObject op = item.getJsonObject(key);
        Map<Integer, Set<String>> responses = new TreeMap<>();
        JsonObject documented = op.getJsonObject("responses");
        for (String status : documented.fieldNames()) {
          responses.put(Integer.parseInt(status), mediaTypes(documented.getJsonObject(status)));
        }
        boolean secured = op.containsKey("security") ? !op.getJsonArray("security").isEmpty() : securedByDefault;
        String id = op.getString("operationId");
        if (id == null || operations.containsKey(id)) {
          throw new AssertionError(key + " " + path + ": every operation needs an operationId of its own, has " + id);
        }
        operations.put(id, new Operation(id, HttpMethod.valueOf(key.toUpperCase(java.util.Locale.ROOT)), path, secured,
            responses));
      }
    }
  }

  /** Reads the document (YAML text as served) and builds the contract; fails if it is not a valid OpenAPI document. */
  static OpenApiDocument parse(Vertx vertx, String yaml) {
    JsonObject served;
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = new ObjectMapper(new YAMLFactory()).readValue(yaml, Map.class);
      served = new JsonObject(map);
    } catch (Exception e) {
      throw new AssertionError("the served document is not YAML: " + e.getMessage(), e);
    }
    JsonObject readable = served.copy();
    JsonObject paths = readable.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (Map.Entry<String, Object> op : paths.getJsonObject(path)) {
        if (op.getValue() instanceof JsonObject operation && operation.containsKey("responses")) {
          operation.getJsonObject("responses").forEach(response -> adapt(response.getValue()));
        }
      }
    }
    JsonObject components = readable.getJsonObject("components", new JsonObject());
    components.getJsonObject("responses", new JsonObject()).forEach(response -> adapt(response.getValue()));
    OpenAPIContract contract = await(OpenAPIContract.from(vertx, readable));
    return new OpenApiDocument(vertx, served, contract);
  }

  /** A response of the validator's copy: its media types as the validator can read them (see the class comment). */
  private static void adapt(Object response) {
    if (!(response instanceof JsonObject r) || !r.containsKey("content")) {
      return;
    }
    JsonObject content = r.getJsonObject("content");
    for (String type : new ArrayList<>(content.fieldNames())) {
      if (MediaType.isMediaTypeSupported(type)) {
        continue;
      }
      Object media = content.remove(type);
      if (readAsJson(type)) {
        if (content.containsKey(MediaType.APPLICATION_JSON)) {
          throw new AssertionError("a response with both " + type + " and application/json: cannot be checked");
        }
        content.put(MediaType.APPLICATION_JSON, media);
      }
    }
  }

  /** A JSON media type the validator does not know by its name ({@code application/problem+json}). */
  private static boolean readAsJson(String type) {
    return !MediaType.isMediaTypeSupported(type) && type.matches("application/[A-Za-z0-9.-]+\\+json");
  }

  private JsonObject resolveResponse(JsonObject response) {
    String ref = response.getString("$ref");
    if (ref == null) {
      return response;
    }
    JsonObject target = served;
    for (String part : ref.substring(2).split("/")) {
      target = target.getJsonObject(part.replace("~1", "/").replace("~0", "~"));
    }
    return target;
  }

  private Set<String> mediaTypes(JsonObject response) {
    JsonObject content = resolveResponse(response).getJsonObject("content");
    return content == null ? Set.of() : new TreeSet<>(content.fieldNames());
  }

  List<Operation> operations() {
    return new ArrayList<>(operations.values());
  }

  Operation operation(String id) {
    Operation op = operations.get(id);
    if (op == null) {
      throw new AssertionError("the document has no operation " + id);
    }
    return op;
  }

  /**
   * Checks one answer of an operation against the document: its status is documented for it, its Content-Type
   * is one of that status's media types, and the validator accepts its headers and body. An answer of a media
   * type the validator does not read has its body checked by the caller.
   *
   * @return the documented media type of the answer, or null for an answer without content
   */
  String check(String operationId, int status, MultiMap headers, Buffer body) {
    Operation op = operation(operationId);
    String where = operationId + " answered " + status;
    Set<String> types = op.responses().get(status);
    if (types == null) {
      throw new AssertionError(where + ", which the document does not list for it (it lists "
          + op.responses().keySet() + "): " + body);
    }
    String contentType = headers.get("Content-Type");
    if (types.isEmpty()) {
      if (body.length() > 0) {
        throw new AssertionError(where + " with a body, and the document gives it none: " + body);
      }
      return null;
    }
    if (contentType == null || !types.contains(contentType)) {
      throw new AssertionError(where + " with Content-Type " + contentType + ", the document says one of " + types);
    }
    Map<String, String> named = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach(e -> named.putIfAbsent(e.getKey(), decodable(e.getValue())));
    String asRead = MediaType.isMediaTypeSupported(contentType) ? contentType
        : readAsJson(contentType) ? MediaType.APPLICATION_JSON : null;
    ValidatableResponse response = asRead != null
        ? ValidatableResponse.create(status, named, body, asRead)
        : ValidatableResponse.create(status, named);
    try {
      await(validator.validate(response, operationId));
    } catch (SchemaValidationException e) {
      throw new AssertionError(where + ": " + e.getMessage() + "\n" + e.getOutputUnit().toJson().encodePrettily()
          + "\nbody: " + body, e);
    } catch (RuntimeException e) {
      throw new AssertionError(where + ": " + e + "\nbody: " + body, e);
    }
    return contentType;
  }

  /**
   * A header value as the validator decodes it back to itself. It reads a value as JSON, or else as the JSON
   * string it would be in quotes; a value with a quote of its own ({@code Bearer realm="x"}) is neither, and it
   * reports it undecodable. Such a value is given to it as a JSON string literal, which decodes to exactly the
   * value sent (so a string schema sees the real text, and any other type still fails as it should).
   */
  private static String decodable(String value) {
    for (String candidate : List.of(value, "\"" + value + "\"")) {
      try {
        io.vertx.core.json.Json.decodeValue(candidate);
        return value;
      } catch (io.vertx.core.json.DecodeException e) {
        // try the next reading
      }
    }
    return io.vertx.core.json.Json.encode(value);
  }

  /** Validates a value against {@code #/components/schemas/<name>}; the output unit says why it is invalid. */
  OutputUnit validate(String schemaName, Object value) {
    JsonObject schema = contract.getRawContract().getJsonObject("components").getJsonObject("schemas")
        .getJsonObject(schemaName);
    if (schema == null) {
      throw new AssertionError("the document has no schema " + schemaName);
    }
    return contract.getSchemaRepository().validator(JsonSchema.of(schema)).validate(value);
  }

  /** Validates a request body that was accepted against the operation's documented request body. */
  OutputUnit validateRequest(String operationId, Object body) {
    var requestBody = contract.operation(operationId).getRequestBody();
    if (requestBody == null) {
      throw new AssertionError(operationId + " documents no request body");
    }
    MediaType json = requestBody.getContent().get("application/json");
    return contract.getSchemaRepository().validator(json.getSchema()).validate(body);
  }

  /** The served document's {@code openapi} version. */
  String version() {
    return served.getString("openapi");
  }

  Vertx vertx() {
    return vertx;
  }
}
