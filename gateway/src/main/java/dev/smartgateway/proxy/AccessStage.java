package dev.smartgateway.proxy;

import dev.smartgateway.access.AccessPolicy;
import dev.smartgateway.error.GatewayException;

/** Stage 2, who asks: the caller's groups against the resource's {@code allowedGroups}, before anything starts. */
final class AccessStage {

  private final AccessPolicy policy;

  AccessStage(AccessPolicy policy) {
    this.policy = policy;
  }

  /** @return true to go on; false if the request was answered (403) */
  boolean run(ProxyRequest ctx) {
    try {
      policy.check(ctx.resource, ctx.groups, ctx.settings);
      return true;
    } catch (GatewayException e) {
      ctx.fail(e);
      return false;
    }
  }
}
