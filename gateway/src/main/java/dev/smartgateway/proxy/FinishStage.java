package dev.smartgateway.proxy;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 5, the one end of every request: runs exactly once per request, whatever its answer, and hands
 * its {@link RequestRecord} to every {@link RequestHook} in turn (the access log first). Shared by every
 * event loop and by {@link InvalidRequestHandler}; stateless apart from its subscribers.
 */
public final class FinishStage {

  private static final Logger log = LoggerFactory.getLogger(FinishStage.class);

  private final List<RequestHook> hooks;

  /** @param hooks the subscribers, called in this order */
  public FinishStage(List<RequestHook> hooks) {
    this.hooks = List.copyOf(hooks);
  }

  /** Runs the hooks for this request, unless they already ran for it. */
  void run(ProxyRequest ctx) {
    if (!ctx.finish()) {
      return;
    }
    RequestRecord record = ctx.toRecord(System.nanoTime());
    for (RequestHook hook : hooks) {
      try {
        hook.requestFinished(record);
      } catch (RuntimeException e) {
        // A subscriber's bug must not cost the others their record, nor the request path its thread.
        log.warn("request hook {} failed: {}", hook.getClass().getName(), e.toString());
      }
    }
  }
}
