package dev.smartgateway.proxy;

import dev.smartgateway.access.AccessPolicy;
import dev.smartgateway.access.TokenRejection;
import dev.smartgateway.access.VerifiedToken;
import dev.smartgateway.error.GatewayException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;

/**
 * Stage 2, who asks: in {@code access.groups: jwt} mode the bearer token is verified and must grant the URL's groups;
 * then the groups against the resource's {@code allowedGroups}. Before the cache (a stored answer is keyed on the
 * groups, so only a caller admitted for them may get it) and before anything starts (a bad token wakes no VM).
 * An admitted request loses its {@code Authorization} header unless {@code access.jwt.forwardToken}, and carries the
 * token's subject on to the VM.
 */
final class AccessStage {

  private final AccessPolicy policy;

  AccessStage(AccessPolicy policy) {
    this.policy = policy;
  }

  /**
   * Completes, never fails, on the request's own context: true to go on; false if the request was answered
   * (401 with {@code WWW-Authenticate}, or 403). Synchronously on the warm path; a token that names an unknown key
   * id may wait for the JWKS to be fetched again.
   */
  Future<Boolean> run(ProxyRequest ctx) {
    Future<VerifiedToken> admitted = policy.admit(ctx.resource, ctx.groups, ctx.settings, ctx.request.headers());
    if (admitted.isComplete()) {
      return Future.succeededFuture(settle(ctx, admitted));
    }
    Context context = Vertx.currentContext();
    Promise<Boolean> settled = Promise.promise();
    admitted.onComplete(ar -> context.runOnContext(v -> settled.complete(settle(ctx, ar))));
    return settled.future();
  }

  private boolean settle(ProxyRequest ctx, AsyncResult<VerifiedToken> admitted) {
    if (admitted.failed()) {
      GatewayException problem = admitted.cause() instanceof GatewayException ge ? ge
          : new GatewayException(dev.smartgateway.error.ErrorType.UNAUTHORIZED, "the token could not be verified",
              ctx.resource, null, admitted.cause());
      if (problem.getCause() instanceof TokenRejection rejection) {
        ctx.request.response().putHeader("WWW-Authenticate", rejection.challenge());
      }
      ctx.fail(problem);
      return false;
    }
    VerifiedToken token = admitted.result();
    if (token != null) {
      ctx.subject = token.subject();
      if (!policy.forwardsAuthorization()) {
        ctx.request.headers().remove(HttpHeaders.AUTHORIZATION);
      }
    }
    return true;
  }
}
