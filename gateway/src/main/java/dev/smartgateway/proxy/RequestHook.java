package dev.smartgateway.proxy;

/**
 * The end-of-request hook: told exactly once per request, whatever its answer (proxied, waiting page,
 * problem, held then failed, client gone, refused by the decoder). The access log is its first subscriber;
 * metrics and the admin surface subscribe here too, so the data path never calls them.
 *
 * <p>Runs on the request's event loop (or, for a request whose wait for a VM ended on another thread,
 * there): it must neither block nor throw. A hook that throws is logged and skipped; the others still run.
 */
@FunctionalInterface
public interface RequestHook {

  void requestFinished(RequestRecord record);
}
