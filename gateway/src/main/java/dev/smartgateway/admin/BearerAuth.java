package dev.smartgateway.admin;

import dev.smartgateway.config.AdminConfig;
import dev.smartgateway.config.ConfigException;
import dev.smartgateway.error.ErrorType;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The admin listener's bearer token (DESIGN section 9): read once at start-up from a file or an environment
 * variable, and compared in constant time — as digests, so neither the content nor the length of the
 * expected token leaks through timing. Without a token the admin API is open, which the listener only
 * allows on loopback.
 */
final class BearerAuth implements Handler<RoutingContext> {

  private final byte[] expected;

  private BearerAuth(byte[] expected) {
    this.expected = expected;
  }

  /** The token of this configuration, or an open door (null token) if none is configured. */
  static BearerAuth of(AdminConfig config) {
    String token = null;
    if (config.tokenFile() != null) {
      try {
        token = Files.readString(config.tokenFile(), StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw new ConfigException("admin.tokenFile", "cannot read " + config.tokenFile() + " (" + e + ")");
      }
      if (token.isEmpty()) {
        throw new ConfigException("admin.tokenFile", config.tokenFile() + " is empty");
      }
    } else if (config.tokenEnv() != null) {
      token = System.getenv(config.tokenEnv());
      if (token == null || token.isBlank()) {
        throw new ConfigException("admin.tokenEnv", "the environment variable " + config.tokenEnv() + " is not set");
      }
      token = token.trim();
    }
    return new BearerAuth(token == null ? null : digest(token));
  }

  boolean isOpen() {
    return expected == null;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (expected == null) {
      ctx.next();
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      AdminProblems.respond(ctx, ErrorType.UNAUTHORIZED, "the admin API needs a bearer token (Authorization: Bearer <token>)");
      return;
    }
    if (!MessageDigest.isEqual(expected, digest(header.substring(7).trim()))) {
      AdminProblems.respond(ctx, ErrorType.UNAUTHORIZED, "the bearer token is not the admin token");
      return;
    }
    ctx.next();
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
