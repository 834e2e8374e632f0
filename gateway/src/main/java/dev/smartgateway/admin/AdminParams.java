package dev.smartgateway.admin;

import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Query parameters of the admin API, read with every problem collected: a request with several mistakes
 * learns of all of them in one 400 answer.
 */
final class AdminParams {

  private final RoutingContext ctx;
  private final List<String> problems = new ArrayList<>();

  AdminParams(RoutingContext ctx) {
    this.ctx = ctx;
  }

  String string(String name) {
    String value = ctx.request().getParam(name);
    return value == null || value.isEmpty() ? null : value;
  }

  /** Epoch milliseconds, or an ISO-8601 instant ({@code 2026-12-01T10:00:00Z}); {@code fallback} if absent. */
  long time(String name, long fallback) {
    String value = string(name);
    if (value == null) {
      return fallback;
    }
    if (value.chars().allMatch(Character::isDigit) && value.length() <= 15) {
      return Long.parseLong(value);
    }
    try {
      return Instant.parse(value).toEpochMilli();
    } catch (DateTimeParseException e) {
      problems.add(name + ": '" + value + "' is neither epoch milliseconds nor an ISO-8601 instant (2026-12-01T10:00:00Z)");
      return fallback;
    }
  }

  int integer(String name, int fallback, int min, int max) {
    String value = string(name);
    if (value == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(name + ": '" + value + "' is not a whole number in " + min + ".." + max);
    return fallback;
  }

  boolean bool(String name) {
    String value = string(name);
    if (value == null || value.equals("false")) {
      return false;
    }
    if (value.equals("true")) {
      return true;
    }
    problems.add(name + ": '" + value + "' is not true or false");
    return false;
  }

  /** One of {@code allowed}, or null if absent. */
  String oneOf(String name, List<String> allowed) {
    String value = string(name);
    if (value != null && !allowed.contains(value)) {
      problems.add(name + ": '" + value + "' is not one of " + String.join(", ", allowed));
      return null;
    }
    return value;
  }

  void problem(String text) {
    problems.add(text);
  }

  /** Answers 400 with every problem and returns true if there were any. */
  boolean refused() {
    if (problems.isEmpty()) {
      return false;
    }
    AdminProblems.respond(ctx, new GatewayException(ErrorType.BAD_REQUEST, String.join("; ", problems)));
    return true;
  }
}
