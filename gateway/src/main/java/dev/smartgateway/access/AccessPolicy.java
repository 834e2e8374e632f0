package dev.smartgateway.access;

import dev.smartgateway.config.AccessConfig;
import dev.smartgateway.config.ResourceSettings;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;

import java.time.Clock;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Decides whether a caller may use a resource at all, before anything is started for it (DESIGN section 4). Trust
 * mode {@code url}: the caller's groups are the URL's, as asserted. Trust mode {@code jwt}: the URL's groups count
 * only if a verified bearer token grants every one of them (401 without a valid token, 403 groups-not-granted
 * otherwise). Either way, a resource with {@code allowedGroups} then wants one of them (403 forbidden).
 */
public final class AccessPolicy {

  private static final Future<VerifiedToken> URL_MODE = Future.succeededFuture();

  private final JwtVerifier jwt;

  /** The {@code url} trust mode. */
  public AccessPolicy() {
    this(null);
  }

  private AccessPolicy(JwtVerifier jwt) {
    this.jwt = jwt;
  }

  /**
   * The policy of this configuration; in {@code jwt} mode once its keys are loaded.
   *
   * @param env how environment variables are read ({@code System::getenv} outside tests)
   * @return fails with a {@link dev.smartgateway.config.ConfigException} naming the key when the keys are unusable
   */
  public static Future<AccessPolicy> start(Vertx vertx, AccessConfig config, Function<String, String> env,
                                           Clock clock) {
    if (config.jwt() == null) {
      return Future.succeededFuture(new AccessPolicy());
    }
    return JwtVerifier.start(vertx, config.jwt(), env, clock).map(AccessPolicy::new);
  }

  /** Whether the VM gets the client's {@code Authorization} header (only with {@code access.jwt.forwardToken}). */
  public boolean forwardsAuthorization() {
    return jwt == null || jwt.config().forwardToken();
  }

  /**
   * Admits the request or says why not.
   *
   * @param headers the request's headers ({@code Authorization})
   * @return the verified token in {@code jwt} mode, null in {@code url} mode; fails with a {@link GatewayException}:
   *     401 unauthorized (its cause a {@link TokenRejection}, which has the challenge), 403 groups-not-granted or
   *     403 forbidden
   */
  public Future<VerifiedToken> admit(String resource, GroupSet groups, ResourceSettings settings, MultiMap headers) {
    if (jwt == null) {
      try {
        check(resource, groups, settings);
        return URL_MODE;
      } catch (GatewayException e) {
        return Future.failedFuture(e);
      }
    }
    return jwt.verify(headers.getAll(HttpHeaders.AUTHORIZATION)).transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(ar.cause() instanceof TokenRejection r ? r.toProblem(resource) : ar.cause());
      }
      VerifiedToken token = ar.result();
      if (!token.grants(groups)) {
        Set<String> missing = new TreeSet<>(groups.asSet());
        missing.removeAll(token.groups());
        return Future.failedFuture(new GatewayException(ErrorType.GROUPS_NOT_GRANTED, "the token does not grant the"
            + " groups " + String.join(",", missing) + " of the URL", resource));
      }
      try {
        check(resource, groups, settings);
        return Future.succeededFuture(token);
      } catch (GatewayException e) {
        return Future.failedFuture(e);
      }
    });
  }

  /**
   * @throws GatewayException {@link ErrorType#FORBIDDEN} when the resource restricts access
   *                          ({@code allowedGroups} not empty) and the caller holds none of those groups
   */
  public void check(String resource, GroupSet callerGroups, ResourceSettings settings) {
    Set<String> allowed = settings.allowedGroups();
    if (allowed.isEmpty() || callerGroups.containsAny(allowed)) {
      return;
    }
    throw new GatewayException(ErrorType.FORBIDDEN, "resource " + resource + " requires one of the groups "
        + String.join(",", new TreeSet<>(allowed)) + "; the request holds " + callerGroups, resource);
  }

  public Future<Void> close() {
    return jwt == null ? Future.succeededFuture() : jwt.close();
  }
}
