package dev.smartgateway.proxy;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.config.ConfigException;
import dev.smartgateway.config.ServerConfig;
import dev.smartgateway.error.GatewayException;
import dev.smartgateway.error.ProblemResponder;
import dev.smartgateway.lifecycle.StartPhase;
import dev.smartgateway.lifecycle.StartStatus;
import dev.smartgateway.routing.VirtualUrlParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a browser sees while its VM starts, and when it cannot start: one HTML template (the built-in
 * {@value #BUILT_IN}, or {@code server.waitingPageTemplate}), read and checked once at start, filled with
 * HTML-escaped values. The page shows the phase and the time so far, asks the status URL every
 * {@value #POLL_MS} ms from its script and moves on to the page asked for when the VM is ready; without a
 * script it reloads itself every {@value #REFRESH_SECONDS} s. A start that failed (or cannot be tried now) is
 * shown as a failure, with its reason, its HTTP status and a link to try again, and never reloads by itself.
 */
public final class WaitingPage {

  static final int REFRESH_SECONDS = 2;
  static final int POLL_MS = 500;
  static final String BUILT_IN = "/pages/waiting.html";
  /** The placeholders a template may use; anything else in double braces is refused at start. */
  static final List<String> PLACEHOLDERS = List.of("resource", "groups", "title", "heading", "phase", "phaseText",
      "elapsedMs", "elapsedSeconds", "typicalMs", "typicalText", "statusUrl", "retryUrl", "pollMs", "refreshSeconds",
      "status", "errorType", "detail", "retryAfterSeconds", "retryText");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z]+)\\s*}}");

  /** The template, cut at its placeholders: literal text at even indexes, placeholder names at odd ones. */
  private final List<String> parts;
  private final VirtualUrlParser urls;

  private WaitingPage(List<String> parts, String prefix) {
    this.parts = parts;
    this.urls = new VirtualUrlParser(prefix);
  }

  /**
   * The page of this listener: its {@code waitingPageTemplate}, or the built-in one.
   *
   * @throws ConfigException naming {@code server.waitingPageTemplate} if the file cannot be read or is not a template
   */
  public static WaitingPage load(ServerConfig server) {
    Path file = server.waitingPageTemplate();
    if (file == null) {
      return parse(builtIn(), BUILT_IN, server.prefix());
    }
    String key = "server.waitingPageTemplate";
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (NoSuchFileException e) {
      throw new ConfigException(key, "file not found: " + file);
    } catch (CharacterCodingException e) {
      throw new ConfigException(key, file + " is not UTF-8 text");
    } catch (IOException e) {
      throw new ConfigException(key, "cannot read " + file + " (" + e + ")");
    }
    try {
      return parse(text, file.toString(), server.prefix());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, e.getMessage());
    }
  }

  /** @throws IllegalArgumentException naming an unknown placeholder, or a template that is empty */
  static WaitingPage parse(String template, String source, String prefix) {
    if (template.isBlank()) {
      throw new IllegalArgumentException(source + " is empty");
    }
    List<String> parts = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(template);
    int at = 0;
    while (m.find()) {
      String name = m.group(1);
      if (!PLACEHOLDERS.contains(name)) {
        int line = 1 + (int) template.substring(0, m.start()).chars().filter(c -> c == '\n').count();
        throw new IllegalArgumentException(source + ", line " + line + ": unknown placeholder {{" + name
            + "}} (known: " + String.join(", ", PLACEHOLDERS) + ")");
      }
      parts.add(template.substring(at, m.start()));
      parts.add(name);
      at = m.end();
    }
    parts.add(template.substring(at));
    return new WaitingPage(List.copyOf(parts), prefix);
  }

  private static String builtIn() {
    try (InputStream in = WaitingPage.class.getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw new IllegalStateException("the built-in waiting page " + BUILT_IN + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the built-in waiting page", e);
    }
  }

  /**
   * The waiting page: 503 (nothing caches it; a crawler comes back later) with Retry-After.
   *
   * @param retryUrl the URL the browser asked for (origin form), which the page moves on to
   * @return the body bytes sent (none for HEAD), for the access log
   */
  long sendWaiting(HttpServerRequest request, String resource, GroupSet groups, String retryUrl, StartStatus status) {
    Map<String, String> v = values(resource, groups, retryUrl, status);
    v.put("title", "Starting " + resource + "…");
    v.put("heading", "Starting " + resource + "…");
    v.put("refreshSeconds", Integer.toString(REFRESH_SECONDS));
    v.put("status", "503");
    return send(request, 503, Duration.ofSeconds(REFRESH_SECONDS), render(v));
  }

  /**
   * The failure page: a start that failed, or cannot be tried now (backing off after failures, a limit, an
   * unknown resource), with the problem's status and Retry-After.
   */
  long sendFailure(HttpServerRequest request, String resource, GroupSet groups, String retryUrl, GatewayException error) {
    StartStatus failed = new StartStatus(resource, groups, StartPhase.FAILED, 0, null, error, error.retryAfter());
    Map<String, String> v = values(resource, groups, retryUrl, failed);
    v.put("title", resource + ": " + error.type().title());
    v.put("heading", error.type().title());
    v.put("refreshSeconds", ""); // an empty refresh never reloads: a failure stays on screen until the person acts
    v.put("status", Integer.toString(error.type().status()));
    return send(request, error.type().status(), error.retryAfter(), render(v));
  }

  private Map<String, String> values(String resource, GroupSet groups, String retryUrl, StartStatus status) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("resource", resource);
    v.put("groups", groups.toString());
    v.put("phase", status.phase().wire());
    v.put("phaseText", phaseText(status.phase()));
    v.put("elapsedMs", Long.toString(status.elapsedMs()));
    v.put("elapsedSeconds", Long.toString(status.elapsedMs() / 1000));
    v.put("typicalMs", status.typicalMs() == null ? "" : Long.toString(status.typicalMs()));
    v.put("typicalText", status.typicalMs() == null ? "" : "Usually ready in about " + typicalSeconds(status.typicalMs()) + " s.");
    v.put("statusUrl", urls.statusPath(resource, groups));
    v.put("retryUrl", retryUrl);
    v.put("pollMs", Integer.toString(POLL_MS));
    GatewayException error = status.error();
    v.put("errorType", error == null ? "" : error.type().typeUri());
    v.put("detail", error == null ? "" : error.detail());
    Duration retryAfter = status.retryAfter();
    long retrySeconds = retryAfter == null ? 0 : seconds(retryAfter);
    v.put("retryAfterSeconds", retryAfter == null ? "" : Long.toString(retrySeconds));
    v.put("retryText", error == null ? "" : retrySeconds > 0 ? "You can try again in " + retrySeconds + " s." : "You can try again now.");
    return v;
  }

  /** Whole seconds, rounded up: "try again in 1 s" is never too early. */
  static long seconds(Duration d) {
    return (d.toMillis() + 999) / 1000;
  }

  static long typicalSeconds(long typicalMs) {
    return Math.max(1, Math.round(typicalMs / 1000.0));
  }

  /** What the page says of a phase (the script says the same as it learns a new one). */
  static String phaseText(StartPhase phase) {
    return switch (phase) {
      case STARTING -> "Asking the cloud for a machine…";
      case BOOTING -> "The machine is booting…";
      case WARMING -> "The machine is up; its application is starting…";
      case READY -> "Ready. Opening the page…";
      case FAILED -> "The start failed.";
      case NONE -> "Nothing is starting.";
    };
  }

  String render(Map<String, String> values) {
    StringBuilder out = new StringBuilder(8192);
    for (int i = 0; i < parts.size(); i++) {
      out.append(i % 2 == 0 ? parts.get(i) : ProblemResponder.escape(values.getOrDefault(parts.get(i), "")));
    }
    return out.toString();
  }

  private static long send(HttpServerRequest request, int status, Duration retryAfter, String html) {
    if (request.response().ended() || request.response().closed()) {
      return 0;
    }
    Buffer body = Buffer.buffer(html);
    var response = request.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader("X-Content-Type-Options", "nosniff");
    if (retryAfter != null) {
      response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, seconds(retryAfter))));
    }
    response.end(body);
    return ProblemResponder.bodyBytesSent(request, body.length());
  }
}
