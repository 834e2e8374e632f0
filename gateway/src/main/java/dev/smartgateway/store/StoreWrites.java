package dev.smartgateway.store;

/**
 * Where the gateway's observers hand what must be kept: non-blocking, any thread, never failing the caller
 * ({@link StoreWriter} queues and batches; tests collect).
 */
public interface StoreWrites {

  void event(HistoryEvent event);

  void task(TaskRecord task);

  void usage(UsageInterval interval);
}
