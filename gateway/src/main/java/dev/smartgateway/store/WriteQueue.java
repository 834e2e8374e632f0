package dev.smartgateway.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link StoreWriter}'s queue: bounded, lock-free, oldest first. Any thread adds at the tail in O(1); the writer's
 * context takes batches from the head and puts back at the head what a failed batch did not write, so the retry
 * keeps the order. The bound counts the writes waiting and those in flight; past it the oldest waiting write is
 * dropped and counted. {@link WriteBatch.Flush} markers ride in the queue too (not counted, never dropped): a
 * marker is reached once every write enqueued before it has been taken.
 */
final class WriteQueue {

  private final ConcurrentLinkedDeque<Object> deque = new ConcurrentLinkedDeque<>();
  private final int capacity;
  /** Writes waiting or in flight. */
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicInteger markers = new AtomicInteger();

  WriteQueue(int capacity) {
    this.capacity = Math.max(1, capacity);
  }

  int capacity() {
    return capacity;
  }

  /** Adds a write (any thread); answers how many there are now, dropping the oldest first if over the bound. */
  int add(Object write) {
    deque.addLast(write);
    int n = size.incrementAndGet();
    if (n > capacity) {
      trim();
    }
    return n;
  }

  /** Adds a marker (any thread); its future completes when the writes before it are written. */
  Future<Void> addMarker() {
    Promise<Void> promise = Promise.promise();
    deque.addLast(new WriteBatch.Flush(promise));
    markers.incrementAndGet();
    return promise.future();
  }

  /** Counts a write refused without queueing it (the writer is closed). */
  void refuse() {
    dropped.incrementAndGet();
  }

  /** Takes the next batch from the head, or null if there is nothing (the writer's context). */
  WriteBatch take(int maxWrites) {
    WriteBatch batch = WriteBatch.take(deque, maxWrites);
    if (batch != null) {
      markers.addAndGet(-batch.flushes().size());
    }
    return batch;
  }

  /** A batch was written whole (the writer's context). */
  void written(WriteBatch batch) {
    size.addAndGet(-batch.size());
  }

  /** A batch failed: what it did not write goes back to the head, in order (the writer's context). */
  void putBack(WriteBatch batch) {
    List<Object> left = batch.unwritten();
    size.addAndGet(-(batch.size() - left.size()));
    for (int i = left.size() - 1; i >= 0; i--) {
      deque.addFirst(left.get(i));
    }
    trim();
  }

  /** Writes waiting or in flight. */
  int size() {
    return Math.max(0, size.get());
  }

  long dropped() {
    return dropped.get();
  }

  /** Whether a {@code flush()} waits in the queue. */
  boolean markerWaiting() {
    return markers.get() > 0;
  }

  /**
   * Drops the oldest waiting writes while there are more than the bound (writes in flight are not waiting; they
   * are trimmed if their batch fails and comes back). Markers at the head stay there: every write before them is
   * already in flight.
   */
  private void trim() {
    while (size.get() > capacity) {
      Object oldest = deque.pollFirst();
      while (oldest instanceof WriteBatch.Flush marker) {
        Object next = deque.pollFirst();
        deque.addFirst(marker);
        oldest = next;
      }
      if (oldest == null) {
        return;
      }
      size.decrementAndGet();
      dropped.incrementAndGet();
    }
  }
}
